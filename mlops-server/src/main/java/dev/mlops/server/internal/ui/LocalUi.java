package dev.mlops.server.internal.ui;

import dev.mlops.server.TrackingServer;
import dev.mlops.tracking.UiServer;
import java.net.URI;
import java.nio.file.Path;

/**
 * What {@code tracker.ui()} starts: a tracking server on loopback over the tracker's store, its
 * UI's address printed by its {@code toString()}. Found through {@link java.util.ServiceLoader}.
 */
public final class LocalUi implements UiServer.Provider {
  /** For the service loader. */
  public LocalUi() {}

  @Override
  public UiServer start(String storeUri, Path artifactRoot, int port) {
    TrackingServer server = TrackingServer.builder(storeUri).artifacts(artifactRoot).host("127.0.0.1").port(port)
        .start();
    URI address = server.uri().resolve("/ui/");
    return new UiServer() {
      @Override
      public URI uri() {
        return address;
      }

      @Override
      public void close() {
        server.close();
      }

      @Override
      public String toString() {
        return "mlops UI at " + address;
      }
    };
  }
}
