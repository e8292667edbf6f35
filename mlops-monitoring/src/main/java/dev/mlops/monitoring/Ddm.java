package dev.mlops.monitoring;

/**
 * The Drift Detection Method (Gama et al., 2004) on 0/1 errors: with error rate p and
 * s = sqrt(p(1 − p)/n), a warning when p + s exceeds the best p_min + 2·s_min and drift when it
 * exceeds p_min + 3·s_min. Its bound narrows as 1/sqrt(n) while p_min is the lowest running rate
 * seen, so on very long stationary streams it can fire on an ordinary fluctuation; ADWIN and
 * Page–Hinkley do not share that weakness.
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
    pMin = Double.POSITIVE_INFINITY;
    sMin = Double.POSITIVE_INFINITY;
    psMin = Double.POSITIVE_INFINITY;
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
    if (n < warmUp) {
      state = MonitorState.STABLE;
      return state;
    }
    if (p + s <= psMin) {
      pMin = p;
      sMin = s;
      psMin = p + s;
    }
    if (p + s > pMin + driftLevel * sMin) {
      state = MonitorState.DRIFT;
    } else if (p + s > pMin + warningLevel * sMin) {
      state = MonitorState.WARNING;
    } else {
      state = MonitorState.STABLE;
    }
    return state;
  }

  @Override
  public MonitorState state() {
    return state;
  }
}
