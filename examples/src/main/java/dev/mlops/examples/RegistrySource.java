package dev.mlops.examples;

import dev.mlops.serving.ModelSource;
import dev.mlops.serving.ModelUri;
import dev.mlops.serving.ResolvedModel;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Tracker;
import java.util.Objects;

/**
 * The model registry of a tracker as the place a {@link dev.mlops.serving.ModelService} finds
 * its models: a URI resolves to the registered version's package file and the digest recorded
 * when it was registered, which the service checks again before it serves the file.
 *
 * <pre>{@code
 * try (ModelService service = ModelService.from(new RegistrySource(tracker), "models:/iris-classifier@champion")) { ... }
 * }</pre>
 */
final class RegistrySource implements ModelSource {
  private final Tracker tracker;

  RegistrySource(Tracker tracker) {
    this.tracker = Objects.requireNonNull(tracker, "tracker");
  }

  @Override
  public ResolvedModel resolve(ModelUri uri) {
    ModelVersion v = tracker.registry().resolve(uri.toString());
    return ResolvedModel.ofFile(v.modelName(), Integer.toString(v.version()), v.packagePath(), v.packageDigest());
  }

  @Override
  public String toString() {
    return "the model registry of " + tracker.uri();
  }
}
