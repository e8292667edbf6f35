package dev.mlops.serving;

import dev.mlops.tracking.ModelUri;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one model URI: holds the version being served and, on refresh, asks the source where
 * the URI points now, loads and verifies a new version on the refreshing thread, and swaps it
 * in with one atomic write. Requests read the reference once, so they finish on the model they
 * started with. A version that fails to load is never swapped in.
 */
final class ModelSlot {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSlot.class);
  private static final String UNKNOWN_VERSION = "?";

  private final ModelSource source;
  private final ModelUri uri;
  private final ModelLoader loader;
  private final Clock clock;
  private final AtomicReference<LoadedModel> current;
  private final Object refreshLock = new Object();
  private final LongAdder swaps = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private volatile RefreshFailure lastFailure;
  // Guarded by refreshLock: the version that last failed, which polling does not retry.
  private ResolvedModel failed;

  private ModelSlot(ModelSource source, ModelUri uri, ModelLoader loader, Clock clock, LoadedModel first) {
    this.source = source;
    this.uri = uri;
    this.loader = loader;
    this.clock = clock;
    this.current = new AtomicReference<>(first);
  }

  /** Resolves and loads the URI's version now; a failure here is the caller's to handle. */
  static ModelSlot open(ModelSource source, ModelUri uri, ModelLoader loader, Clock clock) {
    LoadedModel first = loader.load(uri, source.resolve(uri));
    LOG.info("serving {} version {} ({}) for {}", first.served().name(), first.served().version(),
        first.served().packageDigest(), uri);
    return new ModelSlot(source, uri, loader, clock, first);
  }

  LoadedModel current() {
    return current.get();
  }

  ModelUri uri() {
    return uri;
  }

  /** How many new versions were swapped in since the slot opened. */
  long swaps() {
    return swaps.sum();
  }

  /** How many refreshes did not swap in the version the URI points at. */
  long failures() {
    return failures.sum();
  }

  Optional<RefreshFailure> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /**
   * Swaps in the version the URI points at if it differs from the one served.
   *
   * @param retryFailed whether to try again a version that failed before (an explicit refresh
   *     does; polling does not, so a refused package is not re-read at every tick)
   * @return whether a new version was swapped in
   */
  boolean refresh(boolean retryFailed) {
    synchronized (refreshLock) {
      ResolvedModel resolved;
      try {
        resolved = source.resolve(uri);
      } catch (RuntimeException e) {
        fail(UNKNOWN_VERSION, e);
        return false;
      }
      LoadedModel serving = current.get();
      if (resolved.sameAs(serving.resolved())) {
        failed = null;
        lastFailure = null;
        return false;
      }
      if (!retryFailed && resolved.sameAs(failed)) {
        return false;
      }
      try {
        LoadedModel next = loader.load(uri, resolved);
        current.set(next);
        swaps.increment();
        failed = null;
        lastFailure = null;
        LOG.info("{} moved from version {} to {} ({}); swapped in", uri, serving.served().version(),
            next.served().version(), next.served().packageDigest());
        return true;
      } catch (RuntimeException e) {
        failed = resolved;
        fail(resolved.version(), e);
        return false;
      }
    }
  }

  private void fail(String version, RuntimeException e) {
    failures.increment();
    lastFailure = new RefreshFailure(uri, version, clock.instant(), e);
    LOG.error("{} points at version {}, which was not swapped in; still serving version {}: {}",
        uri, version, current.get().served().version(), e.getMessage());
  }
}
