package dev.mlops.monitoring;

import dev.mlops.core.InvalidInputException;

/**
 * A detector of change in a stream of prediction errors (1 = wrong, 0 = right for
 * classification; absolute errors for regression). After signalling {@link MonitorState#DRIFT}
 * a detector starts afresh, so it can find the next change. Not thread-safe; the {@link Monitor}
 * guards its detectors. Every detector signals at the same positions as its MOA counterpart
 * (ADWINChangeDetector, DDM, PageHinkleyDM, HDDM_A_Test, HDDM_W_Test) with MOA's default
 * parameters; the module's README holds the measured false alarms, delays and misses of each.
 *
 * <pre>{@code
 * ConceptDriftDetector detector = ConceptDriftDetector.hddmA();
 * for (boolean wrong : errors) if (detector.update(wrong ? 1 : 0) == MonitorState.DRIFT) retrain();
 * }</pre>
 */
public interface ConceptDriftDetector {
  /** ADWIN (Bifet and Gavaldà) with confidence δ = 0.002, signalling rises of the error only. */
  static ConceptDriftDetector adwin() {
    return adwin(0.002, ChangeDirection.RISE);
  }

  /**
   * ADWIN with confidence {@code delta} in (0, 1), signalling the changes of the mean error in
   * {@code direction}.
   */
  static ConceptDriftDetector adwin(double delta, ChangeDirection direction) {
    if (!(delta > 0 && delta < 1)) {
      throw new InvalidInputException(
          "ADWIN's confidence delta must lie in (0, 1), got " + delta + "; MOA's default is 0.002");
    }
    if (direction == null) {
      throw new InvalidInputException("give the direction of change to signal, e.g. ChangeDirection.RISE");
    }
    return new Adwin(delta, direction);
  }

  /**
   * Page–Hinkley for an increase of the mean in MOA's formulation: δ = 0.005, λ = 50,
   * α = 1 − 1e-4, alarms from the 29th point.
   */
  static ConceptDriftDetector pageHinkley() {
    return new PageHinkley(0.005, 50, 1 - 1e-4, 30, false);
  }

  /**
   * Page–Hinkley with the cumulative sum clamped at zero (scikit-multiflow's form), same
   * parameters as {@link #pageHinkley()}: quicker on real rises, many more false alarms.
   */
  static ConceptDriftDetector pageHinkleyClamped() {
    return new PageHinkley(0.005, 50, 1 - 1e-4, 30, true);
  }

  /** DDM (Gama et al.): warning at 2σ, drift at 3σ above the best error rate, 30 warm-up points; 0/1 errors only. */
  static ConceptDriftDetector ddm() {
    return new Ddm(2, 3, 30);
  }

  /** HDDM_A (Frías-Blanco et al.): drift confidence 0.001, warning 0.005, two-sided as in MOA; errors in [0, 1]. */
  static ConceptDriftDetector hddmA() {
    return new HddmA(0.001, 0.005, true);
  }

  /** HDDM_W (Frías-Blanco et al.): drift confidence 0.001, warning 0.005, λ = 0.05, one-sided as in MOA; errors in [0, 1]. */
  static ConceptDriftDetector hddmW() {
    return new HddmW(0.001, 0.005, 0.05);
  }

  /** The detector's name, e.g. {@code "adwin"}. */
  String name();

  /** Whether the detector reads real-valued errors (else only 0 and 1). */
  boolean acceptsRealValues();

  /** Adds one error and returns the state after it. */
  MonitorState update(double error);

  /** The state after the last error. */
  MonitorState state();
}
