package dev.mlops.serving;

import dev.mlops.core.Digest;
import dev.mlops.tracking.ModelUri;
import java.time.Instant;
import java.util.Objects;

/**
 * The model version a {@link ModelService} is serving: what the URI resolved to, the digest of
 * the verified package, and when it was swapped in. Immutable.
 *
 * <pre>{@code
 * ServedModel m = service.current();
 * log.info("serving {} version {} ({})", m.name(), m.version(), m.packageDigest());
 * }</pre>
 *
 * @param uri the URI the service follows
 * @param name the model's name
 * @param version the version the URI pointed at when the model was loaded
 * @param packageDigest the digest of the verified package
 * @param loadedAt when the model started answering requests
 */
public record ServedModel(ModelUri uri, String name, String version, Digest packageDigest, Instant loadedAt) {
  public ServedModel {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(packageDigest, "packageDigest");
    Objects.requireNonNull(loadedAt, "loadedAt");
  }
}
