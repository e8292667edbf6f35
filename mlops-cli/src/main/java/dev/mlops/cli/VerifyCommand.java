package dev.mlops.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mlops verify}: the whole safe read of a package (zip entries, every file's SHA-256,
 * the package digest, the class allow-list, deserialization, the input example), so that a
 * deployment pipeline can gate on it.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a model package: every file's SHA-256, the package digest, the model classes and the input example.",
      "Exit status 0 when it is intact, 1 with the reason when it is not."
    })
final class VerifyCommand implements Callable<Integer> {
  @Mixin PackageTarget target;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String said = target.read(pkg -> "verified " + target.target + ": " + pkg.name() + " " + pkg.version() + " " + pkg.digest());
    spec.commandLine().getOut().println(said);
    return 0;
  }
}
