package dev.mlops.monitoring;

/**
 * HDDM_W (Frías-Blanco et al., 2015), the test on weighted moving averages, as MOA computes it
 * (one-sided, MOA's default): an exponentially weighted mean with weight {@code lambda} on the
 * newest value is compared, by McDiarmid's bound for its weights, between the stream up to the cut
 * point where the bounded mean was lowest and the stream since. Reacts faster than
 * {@link HddmA} to abrupt rises because old values fade. Values must lie in [0, 1] (0/1 errors).
 */
final class HddmW implements ConceptDriftDetector {
  private final double driftConfidence;
  private final double warningConfidence;
  private final double lambda;
  private Ewma total;
  private Ewma beforeCut;
  private Ewma sinceCut;
  private double cutPoint;
  private MonitorState state = MonitorState.STABLE;

  /** An exponentially weighted mean and the sum of its squared weights (negative mean: empty). */
  private static final class Ewma {
    double mean = -1;
    double squaredWeights;

    boolean isEmpty() {
      return mean < 0;
    }

    void add(double value, double lambda) {
      if (isEmpty()) {
        mean = value;
        squaredWeights = 1;
      } else {
        double decay = 1.0 - lambda;
        mean = lambda * value + decay * mean;
        squaredWeights = lambda * lambda + decay * decay * squaredWeights;
      }
    }
  }

  HddmW(double driftConfidence, double warningConfidence, double lambda) {
    this.driftConfidence = driftConfidence;
    this.warningConfidence = warningConfidence;
    this.lambda = lambda;
    restart();
  }

  private void restart() {
    total = new Ewma();
    beforeCut = new Ewma();
    sinceCut = new Ewma();
    cutPoint = Double.MAX_VALUE;
  }

  @Override
  public String name() {
    return "hddmW";
  }

  @Override
  public boolean acceptsRealValues() {
    return false;
  }

  @Override
  public MonitorState update(double value) {
    total.add(value, lambda);
    double bound = Math.sqrt(total.squaredWeights * Math.log(1.0 / driftConfidence) / 2);
    if (total.mean + bound < cutPoint) {
      cutPoint = total.mean + bound;
      beforeCut.mean = total.mean;
      beforeCut.squaredWeights = total.squaredWeights;
      sinceCut = new Ewma();
    } else {
      sinceCut.add(value, lambda);
    }
    if (rose(driftConfidence)) {
      restart();
      state = MonitorState.DRIFT;
    } else {
      state = rose(warningConfidence) ? MonitorState.WARNING : MonitorState.STABLE;
    }
    return state;
  }

  private boolean rose(double confidence) {
    if (beforeCut.isEmpty() || sinceCut.isEmpty()) {
      return false;
    }
    double bound = Math.sqrt((beforeCut.squaredWeights + sinceCut.squaredWeights) * Math.log(1 / confidence) / 2);
    return sinceCut.mean - beforeCut.mean > bound;
  }

  @Override
  public MonitorState state() {
    return state;
  }
}
