package dev.mlops.serving;

import dev.mlops.packaging.LoadOptions;
import dev.mlops.tracking.ModelUri;
import java.nio.file.Path;

/**
 * Where a {@link ModelService} finds models: it turns a registry URI into the version the URI
 * points at right now. A model registry is one source; a single package file is another. The
 * service asks again at every poll, so an alias that moves in the source moves the service.
 *
 * <p>Implementations must be thread-safe and cheap enough to call at the polling interval; they
 * report a model that is not there with {@link dev.mlops.core.NotFoundException}.
 *
 * <pre>{@code
 * ModelSource file = ModelSource.ofPackage(Path.of("iris.mlpkg"));
 * try (ModelService service = ModelService.from(file, "models:/iris@champion")) {
 *   service.predict(Map.of("sepal_length", 5.1, ...));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ModelSource {

  /**
   * The version the URI points at now.
   *
   * @throws dev.mlops.core.NotFoundException when the model, version or alias does not exist
   */
  ResolvedModel resolve(ModelUri uri);

  /**
   * A source of one package file, whatever the URI: the service serves that file and, when it
   * polls, picks up a new file written in its place (write it elsewhere and move it over).
   */
  static ModelSource ofPackage(Path packageFile) {
    return ofPackage(packageFile, LoadOptions.defaults());
  }

  /** A source of one package file, opened with these options; see {@link #ofPackage(Path)}. */
  static ModelSource ofPackage(Path packageFile, LoadOptions options) {
    return new PackageFileSource(packageFile, options);
  }
}
