package dev.mlops.lifecycle;

import dev.mlops.core.InvalidInputException;
import dev.mlops.monitoring.Condition;
import java.time.Duration;
import java.util.Objects;

/**
 * How a candidate that passed the gate reaches production. Every passed candidate is registered
 * and aliased {@code challenger}; then either the {@code champion} alias moves to it at once, or
 * it runs beside the champion in a {@link dev.mlops.serving.ModelService} — in shadow (both
 * predict, the champion answers) or as a canary (it answers a share of the requests) — until
 * {@link Lifecycle#review} finds the online criteria met after the declared time, and promotes
 * it; a challenger that misses them when its time is up is rejected. Immutable.
 *
 * <pre>{@code
 * Deploy.immediately();
 * Deploy.shadow(Duration.ofHours(1)).promoteIf(OnlineCriteria.agreement(Condition.atLeast(0.95)));
 * Deploy.canary(0.1, Duration.ofHours(6)).minRows(500);
 * }</pre>
 */
public final class Deploy {
  /** How a challenger is served before promotion. */
  public enum Mode {
    /** The champion alias moves when the gate passes. */
    IMMEDIATE,
    /** Both predict; the champion answers. */
    SHADOW,
    /** The challenger answers a share of the requests. */
    CANARY
  }

  private final Mode mode;
  private final Duration trial;
  private final double share;
  private final long minRows;
  private final OnlineCriteria criteria;

  private Deploy(Mode mode, Duration trial, double share, long minRows, OnlineCriteria criteria) {
    this.mode = mode;
    this.trial = trial;
    this.share = share;
    this.minRows = minRows;
    this.criteria = criteria;
  }

  /** Promote as soon as the gate passes. */
  public static Deploy immediately() {
    return new Deploy(Mode.IMMEDIATE, Duration.ZERO, 0, 0, null);
  }

  /** Run the challenger in shadow for at least {@code trial}; promoted on 95 % agreement unless {@link #promoteIf} says otherwise. */
  public static Deploy shadow(Duration trial) {
    return new Deploy(Mode.SHADOW, checkTrial(trial), 0, 100, OnlineCriteria.agreement(Condition.atLeast(0.95)));
  }

  /** Let the challenger answer {@code share} of the requests for at least {@code trial}. */
  public static Deploy canary(double share, Duration trial) {
    if (!(share > 0 && share < 1)) {
      throw new InvalidInputException("a canary share is strictly between 0 and 1; got " + share);
    }
    return new Deploy(Mode.CANARY, checkTrial(trial), share, 100, OnlineCriteria.agreement(Condition.atLeast(0.95)));
  }

  private static Duration checkTrial(Duration trial) {
    if (Objects.requireNonNull(trial, "trial").isNegative()) {
      throw new InvalidInputException("a trial period cannot be negative; got " + trial);
    }
    return trial;
  }

  /** The online criteria of promotion. */
  public Deploy promoteIf(OnlineCriteria criteria) {
    if (mode == Mode.IMMEDIATE) {
      throw new InvalidInputException("an immediate deployment has no online criteria; use Deploy.shadow(…) or Deploy.canary(…)");
    }
    return new Deploy(mode, trial, share, minRows, Objects.requireNonNull(criteria, "criteria"));
  }

  /** How many rows the challenger must have seen before it is judged (default 100). */
  public Deploy minRows(long rows) {
    if (rows < 1) {
      throw new InvalidInputException("a challenger is judged on at least 1 row; got " + rows);
    }
    return new Deploy(mode, trial, share, rows, criteria);
  }

  /** The mode. */
  public Mode mode() {
    return mode;
  }

  /** The least time in shadow or canary. */
  public Duration trial() {
    return trial;
  }

  /** The canary's share of requests (0 otherwise). */
  public double share() {
    return share;
  }

  long minRowsValue() {
    return minRows;
  }

  OnlineCriteria criteria() {
    return criteria;
  }

  @Override
  public String toString() {
    return "Deploy[" + mode + (mode == Mode.IMMEDIATE ? "" : ", " + trial + ", " + criteria) + "]";
  }
}
