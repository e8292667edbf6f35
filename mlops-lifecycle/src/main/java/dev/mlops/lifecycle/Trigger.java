package dev.mlops.lifecycle;

import dev.mlops.core.InvalidInputException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When a life cycle retrains on its own, besides {@link Lifecycle#runOnce()} on demand: on a
 * schedule (by the life cycle's clock), when the data source's digest changed, on a drift alert
 * of the champion's {@link dev.mlops.monitoring.Monitor}, and on a concept-drift alert of its
 * outcome detectors. Alerts reach the life cycle through {@link Lifecycle#onAlert}, which a
 * monitor takes as its alert listener. Combine with {@link #or}. Immutable.
 *
 * <pre>{@code
 * Trigger.drift().or(Trigger.conceptDrift()).or(Trigger.newData()).or(Trigger.every(Duration.ofDays(7)));
 * Monitor.builder(reference).onAlert(lifecycle::onAlert).build();
 * }</pre>
 */
public final class Trigger {
  /** The kinds of triggers. */
  public enum Kind {
    /** Asked for. */
    ON_DEMAND,
    /** A schedule. */
    SCHEDULE,
    /** The data source's digest changed. */
    NEW_DATA,
    /** A data-drift alert of the champion's monitor. */
    DRIFT,
    /** A concept-drift alert of the champion's outcome detectors. */
    CONCEPT_DRIFT,
    /** A challenger's online trial or the champion's monitored quality was reviewed. */
    REVIEW
  }

  private final Set<Kind> kinds;
  private final Duration every;

  private Trigger(Set<Kind> kinds, Duration every) {
    this.kinds = Set.copyOf(kinds);
    this.every = every;
  }

  /** Only on demand. */
  public static Trigger onDemand() {
    return new Trigger(EnumSet.of(Kind.ON_DEMAND), null);
  }

  /** Every {@code period} since the last pass began. */
  public static Trigger every(Duration period) {
    if (Objects.requireNonNull(period, "period").isNegative() || period.isZero()) {
      throw new InvalidInputException("a schedule needs a positive period; got " + period);
    }
    return new Trigger(EnumSet.of(Kind.ON_DEMAND, Kind.SCHEDULE), period);
  }

  /** When the data source's digest differs from the one the last pass read. */
  public static Trigger newData() {
    return new Trigger(EnumSet.of(Kind.ON_DEMAND, Kind.NEW_DATA), null);
  }

  /** On a data-drift alert. */
  public static Trigger drift() {
    return new Trigger(EnumSet.of(Kind.ON_DEMAND, Kind.DRIFT), null);
  }

  /** On a concept-drift alert. */
  public static Trigger conceptDrift() {
    return new Trigger(EnumSet.of(Kind.ON_DEMAND, Kind.CONCEPT_DRIFT), null);
  }

  /** This trigger or the other. */
  public Trigger or(Trigger other) {
    if (every != null && other.every != null && !every.equals(other.every)) {
      throw new InvalidInputException("a life cycle has one schedule; got every " + every + " and every " + other.every);
    }
    Set<Kind> all = EnumSet.copyOf(kinds);
    all.addAll(other.kinds);
    return new Trigger(all, every != null ? every : other.every);
  }

  /** Whether this kind starts a pass. */
  public boolean fires(Kind kind) {
    return kinds.contains(kind);
  }

  /** The schedule's period, if there is one. */
  public Optional<Duration> period() {
    return Optional.ofNullable(every);
  }

  @Override
  public String toString() {
    return "Trigger" + kinds + (every == null ? "" : " every " + every);
  }
}
