package dev.mlops.serving;

import dev.mlops.tracking.ModelUri;
import java.time.Instant;
import java.util.Objects;

/**
 * Why a {@link ModelService} did not swap in the version its URI points at: the package failed
 * verification (an {@link dev.mlops.core.IntegrityException}), could not be read, or the source
 * could not be asked. The service keeps serving the model it had. Immutable.
 *
 * <pre>{@code
 * service.refresh();
 * service.lastRefreshError().ifPresent(f -> log.error("{} stays on the old model: {}", f.uri(), f.message()));
 * }</pre>
 *
 * @param uri the URI the service follows
 * @param version the version it tried to load, or {@code "?"} when the source could not say
 * @param at when the attempt failed
 * @param error what went wrong
 */
public record RefreshFailure(ModelUri uri, String version, Instant at, RuntimeException error) {
  public RefreshFailure {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(error, "error");
  }

  /** The error's message. */
  public String message() {
    return error.getMessage();
  }
}
