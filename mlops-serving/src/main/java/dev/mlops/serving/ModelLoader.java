package dev.mlops.serving;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.packaging.LoadOptions;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Predictor;
import dev.mlops.tracking.ModelUri;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Set;
import org.tribuo.Output;

/**
 * Loads what a source resolved: reads and verifies the package ({@link ModelPackage#read}
 * checks every file's SHA-256 and the package digest), checks that the digest is the one the
 * source recorded, and builds the predictor once, so the request path does no reflection and
 * never parses the signature again.
 */
final class ModelLoader {
  private final LoadOptions options;
  private final Clock clock;

  ModelLoader(LoadOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
  }

  /**
   * @throws IntegrityException when the package was tampered with or is not the recorded one
   */
  LoadedModel load(ModelUri uri, ResolvedModel resolved) {
    ModelPackage pkg = read(resolved);
    resolved.packageDigest().ifPresent(expected -> {
      if (!expected.equals(pkg.digest())) {
        throw new IntegrityException(
            resolved.location() + " has package digest " + pkg.digest() + " but " + resolved.name() + " version "
                + resolved.version() + " was registered with " + expected + "; the package was replaced. Register it again");
      }
    });
    ServedModel served = new ServedModel(uri, resolved.name(), resolved.version(), pkg.digest(), clock.instant());
    return new LoadedModel(resolved, served, pkg, predictorOf(pkg));
  }

  private ModelPackage read(ResolvedModel resolved) {
    if (resolved.packagePath().isPresent()) {
      return ModelPackage.read(resolved.packagePath().get(), options);
    }
    // The package copies the bytes into a private file it owns for as long as it is used.
    try (InputStream in = resolved.packageBytes().orElseThrow().openStream()) {
      return ModelPackage.read(in, resolved.location(), options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resolved.location(), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Predictor<?> predictorOf(ModelPackage pkg) {
    Set<? extends Output<?>> domain = pkg.model().getOutputIDInfo().getDomain();
    if (domain.isEmpty()) {
      throw new InvalidInputException(
          "package " + pkg.name() + " " + pkg.version() + " has a model with no outputs; it cannot predict");
    }
    Class outputClass = domain.iterator().next().getClass();
    return pkg.predictor(outputClass);
  }
}
