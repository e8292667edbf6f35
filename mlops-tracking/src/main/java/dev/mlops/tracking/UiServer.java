package dev.mlops.tracking;

import java.net.URI;
import java.nio.file.Path;

/**
 * A web UI over a tracker's store, started by {@link Tracker#ui()}: experiments, runs, charts,
 * comparisons and the registry in a browser, on loopback. Its {@code toString()} is the
 * address, so a notebook cell that ends with {@code tracker.ui()} shows where to look.
 *
 * <pre>{@code
 * try (UiServer ui = tracker.ui()) {
 *   System.out.println(ui.uri());   // http://127.0.0.1:41234/ui/
 *   // browse while the process runs
 * }
 * }</pre>
 */
public interface UiServer extends AutoCloseable {
  /** The address of the UI's first page. */
  URI uri();

  /** Stops serving. */
  @Override
  void close();

  /**
   * Starts UIs; the tracking server module provides one through {@link java.util.ServiceLoader}.
   * Callers use {@link Tracker#ui()} rather than this.
   */
  interface Provider {
    /**
     * Serves the store at this URI on loopback.
     *
     * @param storeUri the store's URI, credentials included
     * @param artifactRoot where the store's artifacts are
     * @param port the port, or 0 for any free one
     */
    UiServer start(String storeUri, Path artifactRoot, int port);
  }
}
