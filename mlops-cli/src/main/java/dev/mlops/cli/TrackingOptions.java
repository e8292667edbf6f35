package dev.mlops.cli;

import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The tracking store a command reads: {@code --tracking} and {@code --artifacts}. */
final class TrackingOptions {
  @Option(
      names = "--tracking",
      paramLabel = "URI",
      defaultValue = "${env:" + Tracker.URI_VARIABLE + ":-" + Tracker.DEFAULT_URI + "}",
      description = "The tracking store: sqlite:FILE or jdbc:postgresql://… (default: $" + Tracker.URI_VARIABLE
          + ", else ${DEFAULT-VALUE}).")
  String uri;

  @Option(
      names = "--artifacts",
      paramLabel = "FOLDER",
      description = "The folder the store keeps artifacts and packages in, when it is not the store's own.")
  Path artifacts;

  /** Opens the store these options name. */
  Tracker open() {
    Tracker.Builder builder = Tracker.builder(uri);
    if (artifacts != null) {
      builder.artifacts(artifacts);
    }
    return builder.build();
  }
}
