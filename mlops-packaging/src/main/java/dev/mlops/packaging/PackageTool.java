package dev.mlops.packaging;

import dev.mlops.core.MlopsException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The command line for model packages, so that a deployment pipeline can gate on a package:
 *
 * <pre>{@code
 * java -cp … dev.mlops.packaging.PackageTool show model.mlpkg       # prints the manifest
 * java -cp … dev.mlops.packaging.PackageTool verify model.mlpkg     # exit 0, or 1 with the reason
 * }</pre>
 *
 * <p>{@code verify} runs the whole safe read: zip entries, every file's SHA-256, the package
 * digest, the class allow-list, deserialization, output type and the input example. Exit codes:
 * 0 verified, 1 refused (the reason on standard error), 2 wrong usage.
 */
public final class PackageTool {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;

  private static final String HELP =
      "usage: PackageTool show <file.mlpkg>     print the package's manifest\n"
          + "       PackageTool verify <file.mlpkg>   verify the package; exit 0 if it is intact, 1 if not";

  private PackageTool() {}

  /** Runs a command and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command, writing to the given streams, and returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2 || !(args[0].equals("show") || args[0].equals("verify"))) {
      err.println(HELP);
      return USAGE;
    }
    Path file = Path.of(args[1]);
    try {
      ModelPackage pkg = ModelPackage.read(file);
      if (args[0].equals("show")) {
        out.println(pkg.manifest().toPrettyJson());
      } else {
        out.println("verified " + file + ": " + pkg.name() + " " + pkg.version() + " " + pkg.digest());
      }
      return OK;
    } catch (MlopsException | UncheckedIOException e) {
      err.println("refused " + file + ": " + e.getMessage());
      return REFUSED;
    }
  }
}
