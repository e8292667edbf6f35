package dev.mlops.cli;

import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The package a command reads: a {@code .mlpkg} file, or a registry URI ({@code models:/name/3},
 * {@code models:/name@champion}) in the store of {@code --tracking}.
 */
final class PackageTarget {
  private static final String MODEL_URI_PREFIX = "models:/";

  @Parameters(index = "0", paramLabel = "PACKAGE", description = "A .mlpkg file, or models:/NAME/VERSION or models:/NAME@ALIAS.")
  String target;

  @Mixin TrackingOptions tracking;

  /** Reads the package, verified, and applies the function while it (and its store) are open. */
  <T> T read(Function<ModelPackage, T> use) {
    if (!target.startsWith(MODEL_URI_PREFIX)) {
      return use.apply(ModelPackage.read(Path.of(target)));
    }
    try (Tracker tracker = tracking.open()) {
      return use.apply(tracker.registry().load(target));
    }
  }
}
