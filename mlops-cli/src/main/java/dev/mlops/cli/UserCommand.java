package dev.mlops.cli;

import dev.mlops.server.Role;
import dev.mlops.server.TrackingServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlops server user create --store URI --user U --role reader|editor|admin
 * [--password-file FILE] [--replace]}: records a user who signs in to the tracking server with HTTP
 * basic authentication. The password is read from the file, the terminal (not echoed) or standard
 * input, never from an argument, and the store keeps only its salted hash.
 */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description = "Manage the users of the tracking server who sign in with a password (HTTP basic).")
final class UserCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a user command: create");
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = {
      "Record a user and a password in the store; the store keeps only a salted hash of the password.",
      "The password is the first line of --password-file, else it is asked for on the terminal (twice,",
      "not shown), else it is the first line of standard input. It is never given as an argument.",
      "The user then signs in with MLFLOW_TRACKING_USERNAME=<user> and MLFLOW_TRACKING_PASSWORD=<password>."})
  int create(
      @Option(names = "--store", paramLabel = "URI", required = true,
          description = "The tracking server's store, as given to mlops server --store.") String store,
      @Option(names = "--user", paramLabel = "NAME", required = true,
          description = "The user's name: letters, digits, '.', '@', '-' or '_'.") String user,
      @Option(names = "--role", paramLabel = "ROLE", required = true,
          description = "reader (reads), editor (also writes) or admin (everything).") String role,
      @Option(names = "--password-file", paramLabel = "FILE",
          description = "A file whose first line is the password (readable by you alone).") Path passwordFile,
      @Option(names = "--replace",
          description = "Replace the password and role of a user the store has already.") boolean replace,
      // caught only to refuse it without repeating the value in the error
      @Option(names = "--password", arity = "0..1", hidden = true) String passwordArgument) {
    CommandLine command = spec.subcommands().get("create");
    if (passwordArgument != null) {
      throw new CommandLine.ParameterException(command, "a password is never given as an argument, where the process"
          + " list and the shell's history would show it: pipe it into standard input or give --password-file FILE");
    }
    Role parsed = RoleOption.parse(command, role);
    String password = ((Mlops) spec.root().userObject()).passwords().read(passwordFile, user);
    if (replace) {
      TrackingServer.replaceUser(store, user, password, parsed);
    } else {
      TrackingServer.createUser(store, user, password, parsed);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("user " + user + " (" + RoleOption.name(parsed) + ") " + (replace ? "recorded again" : "recorded")
        + "; the store keeps only a salted hash of the password");
    out.flush();
    return 0;
  }
}
