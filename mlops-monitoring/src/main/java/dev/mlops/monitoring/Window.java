package dev.mlops.monitoring;

import dev.mlops.core.InvalidInputException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a {@link Monitor} cuts the stream of observations into windows: every {@code n} rows, or
 * every fixed span of time (by the monitor's clock; a window closes at the first observation
 * after its span).
 *
 * <pre>{@code
 * Window.ofCount(1_000);
 * Window.ofDuration(Duration.ofMinutes(15));
 * }</pre>
 */
public final class Window {
  private final long count;
  private final Duration duration;

  private Window(long count, Duration duration) {
    this.count = count;
    this.duration = duration;
  }

  /**
   * A window of {@code n} rows.
   *
   * @throws InvalidInputException unless n ≥ 1
   */
  public static Window ofCount(long n) {
    if (n < 1) {
      throw new InvalidInputException("a window needs at least 1 row; got " + n);
    }
    return new Window(n, null);
  }

  /**
   * A window spanning {@code d}.
   *
   * @throws InvalidInputException unless d is positive
   */
  public static Window ofDuration(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new InvalidInputException("a window needs a positive duration; got " + d);
    }
    return new Window(0, d);
  }

  /** The row count of a count window. */
  public OptionalLong count() {
    return duration == null ? OptionalLong.of(count) : OptionalLong.empty();
  }

  /** The span of a time window. */
  public Optional<Duration> duration() {
    return Optional.ofNullable(duration);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Window w && w.count == count && java.util.Objects.equals(w.duration, duration);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + java.util.Objects.hashCode(duration);
  }

  @Override
  public String toString() {
    return duration == null ? "Window[" + count + " rows]" : "Window[" + duration + "]";
  }
}
