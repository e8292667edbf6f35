package dev.mlops.monitoring;

/**
 * The Page–Hinkley test for an increase of the mean error, with a fading cumulative sum kept at
 * or above zero (the scikit-multiflow form): {@code m = max(0, α·m + (x − mean − δ))}, drift when
 * {@code m > λ}. Tracking the minimum of an unclamped fading sum instead raises false alarms on
 * stationary 0/1 error streams at these parameters, because the faded sum wanders by about
 * sqrt(p(1 − p) / (1 − α²)) ≈ 20 around its level. Only increases matter: an error rate that
 * falls is no reason to alarm.
 */
final class PageHinkley implements ConceptDriftDetector {
  private final double delta;
  private final double lambda;
  private final double alpha;
  private final int warmUp;
  private long n;
  private double mean;
  private double sum;
  private MonitorState state = MonitorState.STABLE;

  PageHinkley(double delta, double lambda, double alpha, int warmUp) {
    this.delta = delta;
    this.lambda = lambda;
    this.alpha = alpha;
    this.warmUp = warmUp;
    reset();
  }

  private void reset() {
    n = 0;
    mean = 0;
    sum = 0;
  }

  @Override
  public String name() {
    return "pageHinkley";
  }

  @Override
  public boolean acceptsRealValues() {
    return true;
  }

  @Override
  public MonitorState update(double x) {
    if (state == MonitorState.DRIFT) {
      reset();
    }
    n++;
    mean += (x - mean) / n;
    sum = Math.max(0, alpha * sum + (x - mean - delta));
    state = n >= warmUp && sum > lambda ? MonitorState.DRIFT : MonitorState.STABLE;
    return state;
  }

  @Override
  public MonitorState state() {
    return state;
  }
}
