package dev.mlops.cli;

import dev.mlops.server.TrackingServer;
import dev.mlops.tracking.Tracker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlops ui}: the web UI over a local store, on loopback, until the process is stopped.
 * The artifacts are where the store recorded them unless {@code --artifacts} says otherwise.
 */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Browse a store in a web browser: experiments, runs, metric charts, comparisons, the registry, drift.",
      "It listens on 127.0.0.1 only and needs no users; stop it with Ctrl-C."
    })
final class UiCommand implements Callable<Integer> {
  @Option(names = "--store", paramLabel = "URI", required = true,
      description = "The tracking store to show, e.g. sqlite:mlops/mlops.db or postgresql://user@host/db.")
  String store;

  @Option(names = "--artifacts", paramLabel = "FOLDER",
      description = "Where the store's artifacts are, when not where the store recorded them.")
  Path artifacts;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + TrackingServer.DEFAULT_PORT,
      description = "Port to listen on; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    return ServerCommand.untilStopped(start(spec.commandLine().getOut()));
  }

  /** Finds the store's artifacts, starts the server on loopback and says where the UI is. */
  TrackingServer start(PrintWriter out) {
    Path root;
    Tracker.Builder builder = Tracker.builder(store);
    if (artifacts != null) {
      builder.artifacts(artifacts);
    }
    try (Tracker tracker = builder.build()) {
      root = tracker.artifactRoot();
    }
    TrackingServer server = TrackingServer.builder(store).host("127.0.0.1").port(port).artifacts(root).start();
    out.println("mlops UI at " + server.uri().resolve("/ui/"));
    out.flush();
    return server;
  }
}
