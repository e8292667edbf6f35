package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import moa.classifiers.core.driftdetection.ADWIN;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every detector signals drift (and warnings, where it has them) at exactly MOA's positions on
 * seeded streams: stationary at error rates 0.1 and 0.3, abrupt 0.1 → 0.4, gradual 0.1 → 0.3 over
 * 2,000 points, and repeated changes; ADWIN and Page–Hinkley also on real-valued errors.
 */
class MoaEqualityTest {
  private static final long[] SEEDS = {1, 2, 3, 42, 2024};

  static Stream<Arguments> streams() {
    List<Arguments> all = new ArrayList<>();
    for (long seed : SEEDS) {
      ErrorStreams s = new ErrorStreams(seed);
      all.add(Arguments.of("stationary 0.1 seed " + seed, s.stationary(0.1, 30_000)));
      all.add(Arguments.of("stationary 0.3 seed " + seed, s.stationary(0.3, 30_000)));
      all.add(Arguments.of("abrupt seed " + seed, s.abrupt(0.1, 0.4, 2_000, 3_000)));
      all.add(Arguments.of("gradual seed " + seed, s.gradual(0.1, 0.3, 2_000, 2_000, 2_000)));
      all.add(Arguments.of("up and down seed " + seed, upAndDown(s)));
    }
    return all.stream();
  }

  /** Rates 0.2, 0.6, 0.1, 0.5, 0.05 in blocks of 3,000: rises and falls for every detector. */
  private static double[] upAndDown(ErrorStreams s) {
    double[] rates = {0.2, 0.6, 0.1, 0.5, 0.05};
    double[] errors = new double[rates.length * 3_000];
    SplittableRandom random = new SplittableRandom(s.seed());
    for (int i = 0; i < errors.length; i++) {
      errors[i] = random.nextDouble() < rates[i / 3_000] ? 1 : 0;
    }
    return errors;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void driftPositionsEqualMoa(String stream, double[] errors) {
    for (MoaReference d : MoaReference.values()) {
      List<Integer> expected = d.moaSignals(errors, MonitorState.DRIFT);
      assertEquals(expected, d.ourSignals(errors, MonitorState.DRIFT), d + " on " + stream);
      assertFalse(stream.startsWith("abrupt") && expected.isEmpty(), d + " missed the change on " + stream);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void warningPositionsEqualMoa(String stream, double[] errors) {
    for (MoaReference d : List.of(MoaReference.DDM, MoaReference.HDDM_A, MoaReference.HDDM_W)) {
      assertEquals(d.moaSignals(errors, MonitorState.WARNING), d.ourSignals(errors, MonitorState.WARNING),
          d + " on " + stream);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void adwinInEitherDirectionCutsWhereMoaAdwinDoes(String stream, double[] errors) {
    ADWIN moa = new ADWIN(0.002);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < errors.length; i++) {
      if (moa.setInput(errors[i])) {
        expected.add(i);
      }
    }
    ConceptDriftDetector ours = ConceptDriftDetector.adwin(0.002, ChangeDirection.EITHER);
    assertEquals(expected, MoaReference.signals(ours, errors, MonitorState.DRIFT), stream);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void realValuedErrorsGiveMoaPositions(long seed) {
    double[] errors = new ErrorStreams(seed).realValued(20_000);
    for (MoaReference d : List.of(MoaReference.ADWIN, MoaReference.PAGE_HINKLEY)) {
      assertEquals(d.moaSignals(errors, MonitorState.DRIFT), d.ourSignals(errors, MonitorState.DRIFT), d + " seed " + seed);
    }
  }

  static Stream<Long> seeds() {
    return Arrays.stream(SEEDS).boxed();
  }
}
