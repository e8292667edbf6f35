package dev.mlops.cli;

import dev.mlops.server.Role;
import dev.mlops.server.TrackingServer;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlops server token create --store URI --user U --role reader|editor|admin}: records a
 * new bearer token in the tracking server's store and prints it, the only time it is shown; the
 * store keeps its SHA-256 alone.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Manage the bearer tokens of the tracking server's users.")
final class TokenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a token command: create");
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = {
      "Record a new token for a user in the store and print it once; the store keeps only its hash.",
      "The job then sends it with MLOPS_TRACKING_TOKEN=<token> (or MLflow's MLFLOW_TRACKING_TOKEN)."})
  int create(
      @Option(names = "--store", paramLabel = "URI", required = true,
          description = "The tracking server's store, as given to mlops server --store.") String store,
      @Option(names = "--user", paramLabel = "NAME", required = true,
          description = "Who the token is for: letters, digits, '.', '@', '-' or '_'.") String user,
      @Option(names = "--role", paramLabel = "ROLE", required = true,
          description = "reader (reads), editor (also writes) or admin (everything).") String role) {
    Role parsed = RoleOption.parse(spec.subcommands().get("create"), role);
    String token = TrackingServer.createToken(store, user, parsed);
    PrintWriter out = spec.commandLine().getOut();
    out.println("token for " + user + " (" + RoleOption.name(parsed) + "), shown this once:");
    out.println(token);
    out.flush();
    return 0;
  }
}
