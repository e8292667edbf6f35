package dev.mlops.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import moa.classifiers.core.driftdetection.ADWINChangeDetector;
import moa.classifiers.core.driftdetection.ChangeDetector;
import moa.classifiers.core.driftdetection.HDDM_A_Test;
import moa.classifiers.core.driftdetection.HDDM_W_Test;
import moa.classifiers.core.driftdetection.PageHinkleyDM;

/**
 * Each detector beside its MOA counterpart with MOA's default options. MOA's HDDM_W keeps its
 * samples in static fields, so its instances must be fed one after the other, never interleaved.
 */
enum MoaReference {
  ADWIN(ConceptDriftDetector::adwin, ADWINChangeDetector::new),
  DDM(ConceptDriftDetector::ddm, moa.classifiers.core.driftdetection.DDM::new),
  PAGE_HINKLEY(ConceptDriftDetector::pageHinkley, PageHinkleyDM::new),
  HDDM_A(ConceptDriftDetector::hddmA, HDDM_A_Test::new),
  HDDM_W(ConceptDriftDetector::hddmW, HDDM_W_Test::new);

  private final Supplier<ConceptDriftDetector> ours;
  private final Supplier<ChangeDetector> moa;

  MoaReference(Supplier<ConceptDriftDetector> ours, Supplier<ChangeDetector> moa) {
    this.ours = ours;
    this.moa = moa;
  }

  ConceptDriftDetector ours() {
    return ours.get();
  }

  /** Positions (0-based) where our detector reaches {@code state}. */
  List<Integer> ourSignals(double[] errors, MonitorState state) {
    return signals(ours.get(), errors, state);
  }

  /** Positions (0-based) where MOA's detector signals a change (DRIFT) or is in its warning zone (WARNING). */
  List<Integer> moaSignals(double[] errors, MonitorState state) {
    ChangeDetector d = moa.get();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < errors.length; i++) {
      d.input(errors[i]);
      if (state == MonitorState.DRIFT ? d.getChange() : d.getWarningZone()) {
        at.add(i);
      }
    }
    return at;
  }

  static List<Integer> signals(ConceptDriftDetector d, double[] errors, MonitorState state) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < errors.length; i++) {
      if (d.update(errors[i]) == state) {
        at.add(i);
      }
    }
    return at;
  }
}
