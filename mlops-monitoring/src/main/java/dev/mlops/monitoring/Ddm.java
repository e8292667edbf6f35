package dev.mlops.monitoring;

/**
 * The Drift Detection Method (Gama et al., 2004) on 0/1 errors, as MOA computes it: with running
 * error rate p and s = sqrt(p(1 − p)/n), the point where p + s was lowest is remembered as
 * (p_min, s_min); a warning when p + s exceeds p_min + 2·s_min and drift when it exceeds
 * p_min + 3·s_min. The minimum is tracked from the 29th point and drift allowed from the 30th (MOA
 * counts from one).
 *
 * <p>Why it false-alarms on stationary streams: p_min and s_min are frozen at the best moment
 * seen, and early in a stream that moment is often a lucky run of few errors, where p is well
 * below the true rate and s, computed from that low p, is small as well. The running p then
 * converges to the true rate while p + s shrinks towards it, so whenever the
 * lucky p_min + 3·s_min lies below the true rate the detector will fire, however long the stream
 * stays stationary. It is the frozen, too tight threshold, not a fluctuation of a narrowing bound,
 * and MOA's DDM fires in exactly the same runs.
 */
final class Ddm implements ConceptDriftDetector {
  private final double warningLevel;
  private final double driftLevel;
  private final int warmUp;
  private long n;
  private double p;
  private double pMin;
  private double sMin;
  private double psMin;
  private MonitorState state = MonitorState.STABLE;

  Ddm(double warningLevel, double driftLevel, int warmUp) {
    this.warningLevel = warningLevel;
    this.driftLevel = driftLevel;
    this.warmUp = warmUp;
    reset();
  }

  private void reset() {
    n = 0;
    p = 0;
    pMin = Double.MAX_VALUE;
    sMin = Double.MAX_VALUE;
    psMin = Double.MAX_VALUE;
  }

  @Override
  public String name() {
    return "ddm";
  }

  @Override
  public boolean acceptsRealValues() {
    return false;
  }

  @Override
  public MonitorState update(double error) {
    if (state == MonitorState.DRIFT) {
      reset();
    }
    n++;
    p += (error - p) / n;
    double s = Math.sqrt(p * (1 - p) / n);
    state = MonitorState.STABLE;
    if (n + 1 < warmUp) {
      return state;
    }
    if (p + s <= psMin) {
      pMin = p;
      sMin = s;
      psMin = p + s;
    }
    if (n >= warmUp && p + s > pMin + driftLevel * sMin) {
      state = MonitorState.DRIFT;
    } else if (p + s > pMin + warningLevel * sMin) {
      state = MonitorState.WARNING;
    }
    return state;
  }

  @Override
  public MonitorState state() {
    return state;
  }
}
