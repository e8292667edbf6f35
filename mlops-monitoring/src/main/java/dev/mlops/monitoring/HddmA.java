package dev.mlops.monitoring;

/**
 * HDDM_A (Frías-Blanco et al., 2015, "Online and non-parametric drift detection methods based on
 * Hoeffding's bounds"), the test on moving averages, as MOA computes it: the stream's running mean
 * is compared with the mean up to the cut point where the Hoeffding-bounded mean was lowest, and a
 * rise beyond the bound for confidence {@code driftConfidence} (warning: {@code warningConfidence})
 * is drift. Two-sided by default, as in MOA: a significant fall silently restarts the statistics
 * so that a later rise is measured from the new, lower level; only rises are signalled. Values
 * must lie in [0, 1] (0/1 errors).
 */
final class HddmA implements ConceptDriftDetector {
  private final double driftConfidence;
  private final double warningConfidence;
  private final boolean twoSided;
  private long nMin;
  private double cMin;
  private long nMax;
  private double cMax;
  private long n;
  private double c;
  private MonitorState state = MonitorState.STABLE;

  HddmA(double driftConfidence, double warningConfidence, boolean twoSided) {
    this.driftConfidence = driftConfidence;
    this.warningConfidence = warningConfidence;
    this.twoSided = twoSided;
  }

  @Override
  public String name() {
    return "hddmA";
  }

  @Override
  public boolean acceptsRealValues() {
    return false;
  }

  @Override
  public MonitorState update(double value) {
    n++;
    c += value;
    if (nMin == 0) {
      nMin = n;
      cMin = c;
    }
    if (nMax == 0) {
      nMax = n;
      cMax = c;
    }
    double logInverse = Math.log(1.0 / driftConfidence);
    double bound = Math.sqrt(1.0 / (2 * nMin) * logInverse);
    double boundAll = Math.sqrt(1.0 / (2 * n) * logInverse);
    if (cMin / nMin + bound >= c / n + boundAll) {
      cMin = c;
      nMin = n;
    }
    bound = Math.sqrt(1.0 / (2 * nMax) * logInverse);
    if (cMax / nMax - bound <= c / n - boundAll) {
      cMax = c;
      nMax = n;
    }
    if (rose(cMin, nMin, driftConfidence)) {
      restart();
      state = MonitorState.DRIFT;
    } else {
      state = rose(cMin, nMin, warningConfidence) ? MonitorState.WARNING : MonitorState.STABLE;
    }
    if (twoSided && fell()) {
      restart();
    }
    return state;
  }

  private void restart() {
    nMin = 0;
    nMax = 0;
    n = 0;
    cMin = 0;
    cMax = 0;
    c = 0;
  }

  /** Whether the mean since the cut point exceeds the mean up to it beyond the bound for the confidence. */
  private boolean rose(double cCut, long nCut, double confidence) {
    if (nCut == n) {
      return false;
    }
    return c / n - cCut / nCut >= bound(nCut, confidence);
  }

  private boolean fell() {
    if (nMax == n) {
      return false;
    }
    return cMax / nMax - c / n >= bound(nMax, driftConfidence);
  }

  private double bound(long nCut, double confidence) {
    double m = (double) (n - nCut) / nCut * (1.0 / n);
    return Math.sqrt(m / 2 * Math.log(2.0 / confidence));
  }

  @Override
  public MonitorState state() {
    return state;
  }
}
