package dev.mlops.monitoring;

/**
 * The Page–Hinkley test for an increase of the mean error with a fading cumulative sum, in MOA's
 * formulation by default: {@code m = α·m + (x − mean − δ)}, drift when {@code m > λ}, from the
 * 29th point on (MOA counts from one). The clamped variant ({@code m = max(0, …)}, the
 * scikit-multiflow form, {@link ConceptDriftDetector#pageHinkleyClamped()}) forgets every stretch
 * below the mean, so it reacts sooner to a real rise but also false-alarms far more often on long
 * stationary streams (see the module's README for the measured trade-off).
 */
final class PageHinkley implements ConceptDriftDetector {
  private final double delta;
  private final double lambda;
  private final double alpha;
  private final int warmUp;
  private final boolean clamped;
  private long n;
  private double mean;
  private double sum;
  private MonitorState state = MonitorState.STABLE;

  PageHinkley(double delta, double lambda, double alpha, int warmUp, boolean clamped) {
    this.delta = delta;
    this.lambda = lambda;
    this.alpha = alpha;
    this.warmUp = warmUp;
    this.clamped = clamped;
    reset();
  }

  private void reset() {
    n = 0;
    mean = 0;
    sum = 0;
  }

  @Override
  public String name() {
    return clamped ? "pageHinkleyClamped" : "pageHinkley";
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
    sum = alpha * sum + (x - mean - delta);
    if (clamped) {
      sum = Math.max(0, sum);
    }
    state = n + 1 >= warmUp && sum > lambda ? MonitorState.DRIFT : MonitorState.STABLE;
    return state;
  }

  @Override
  public MonitorState state() {
    return state;
  }
}
