package dev.mlops.cli;

import dev.mlops.core.MlopsException;
import dev.mlops.core.TribuoLogging;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code mlops} command line. Run it from the runnable jar or the {@code bin/mlops} script:
 *
 * <pre>{@code
 * mlops serve --package iris.mlpkg --port 8080
 * mlops serve --tracking sqlite:mlops/mlops.db --model models:/iris-classifier@champion
 * mlops server --store sqlite:mlops/mlops.db --port 5000
 * mlops server user create --store sqlite:mlops/mlops.db --user ana --role reader < password.txt
 * mlops verify iris.mlpkg
 * mlops show --only signature iris.mlpkg
 * mlops runs iris --filter "metrics.accuracy > 0.9" --order-by "metrics.accuracy DESC" --json
 * mlops models iris-classifier
 * mlops check --reference train.csv --current today.csv --target label --condition "accuracy >= 0.9"
 * mlops help serve
 * }</pre>
 *
 * <p>Exit status: 0 when the command did what it was asked (and for {@code --help} and
 * {@code help}), 1 when it was refused (a tampered package, a model that does not exist), 2 for a
 * wrong command line, which is answered with the command's usage.
 */
@Command(
    name = "mlops",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Serve, verify and inspect model packages; list tracked runs and registered models; check data.",
    subcommands = {
      HelpCommand.class,
      ServeCommand.class,
      ServerCommand.class,
      UiCommand.class,
      VerifyCommand.class,
      ShowCommand.class,
      RunsCommand.class,
      ModelsCommand.class,
      CheckCommand.class
    })
public final class Mlops implements Runnable {
  /** Exit status of a refused command: a package that fails verification, a model that is not there. */
  public static final int REFUSED = 1;

  @Spec CommandSpec spec;

  private final PasswordInput passwords;

  /** Public for picocli; use {@link #execute(PrintWriter, PrintWriter, String...)}. */
  public Mlops() {
    this(new PasswordInput(System.in, System.console()));
  }

  private Mlops(PasswordInput passwords) {
    this.passwords = passwords;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    TribuoLogging.quiet();
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(execute(out, err, args));
  }

  /**
   * Runs the command line, writing to these streams, and returns the exit status (see the class
   * description). {@code serve} returns only when its server stops. A command that reads a
   * password reads the terminal, or the process's standard input.
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return commandLine(new Mlops(), out, err).execute(args);
  }

  /**
   * As {@link #execute(PrintWriter, PrintWriter, String...)}, with this as standard input and no
   * terminal: a command that reads a password reads its first line.
   */
  public static int execute(InputStream in, PrintWriter out, PrintWriter err, String... args) {
    return commandLine(new Mlops(new PasswordInput(in, null)), out, err).execute(args);
  }

  /** Where commands read passwords. */
  PasswordInput passwords() {
    return passwords;
  }

  /** The configured parser, for callers that want to parse without executing. */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(new Mlops(), out, err);
  }

  private static CommandLine commandLine(Mlops root, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(root);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof MlopsException || e instanceof UncheckedIOException) {
        commandLine.getErr().println("mlops " + commandLine.getCommandName() + ": " + e.getMessage());
        commandLine.getErr().flush();
        return REFUSED;
      }
      throw e;
    });
    return cl;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }
}
