package dev.mlops.cli;

import dev.mlops.server.TrackingServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlops server}: the team tracking server, MLflow's REST API 2.0 over a store, until the
 * process is stopped. Without users (tokens or passwords in the store) it listens on loopback only,
 * and refuses any other address.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    subcommands = {TokenCommand.class, UserCommand.class},
    sortOptions = false,
    description = {
      "Run the tracking server: MLflow's REST API 2.0 over the store of --store, with the artifact proxy.",
      "Jobs and notebooks then log to it with MLOPS_TRACKING_URI=http://HOST:PORT (MLflow's clients too).",
      "It listens on loopback only unless the store holds users (mlops server token create, mlops server user",
      "create): then every call needs credentials, each user has a permission on each experiment and model, and",
      "--host may be any address."
    })
final class ServerCommand implements Callable<Integer> {
  // checked in call(), so that the token and user subcommands do not need them
  @Option(names = "--store", paramLabel = "URI",
      description = "The tracking store to serve, e.g. sqlite:mlops/mlops.db or postgresql://user@host/db.")
  String store;

  @Option(names = "--artifacts", paramLabel = "FOLDER",
      description = "The folder the server keeps artifacts in and proxies, e.g. /srv/mlops.")
  Path artifacts;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + TrackingServer.DEFAULT_PORT,
      description = "Port to listen on; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (store == null || artifacts == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option"
          + (store == null ? " '--store=URI'" : "") + (artifacts == null ? " '--artifacts=FOLDER'" : ""));
    }
    return untilStopped(start(spec.commandLine().getOut()));
  }

  /** Serves until the process is stopped, then closes the server. */
  static int untilStopped(TrackingServer server) throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "mlops-server-shutdown"));
    server.join();
    return 0;
  }

  /** Opens the store, starts the server and says where it listens. */
  TrackingServer start(PrintWriter out) {
    TrackingServer server = TrackingServer.builder(store).host(host).port(port).artifacts(artifacts).start();
    out.println("tracking server at " + server.uri() + " (MLOPS_TRACKING_URI=" + server.uri() + ")");
    out.flush();
    return server;
  }
}
