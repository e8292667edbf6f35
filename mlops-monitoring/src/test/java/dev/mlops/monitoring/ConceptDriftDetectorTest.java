package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The detectors against streams whose change point is known. */
class ConceptDriftDetectorTest {
  private static final int CHANGE_AT = 5_000;
  private static final int MAX_DELAY = 1_000;

  static Stream<Arguments> detectors() {
    return Stream.of(
        Arguments.of("adwin", (Supplier<ConceptDriftDetector>) ConceptDriftDetector::adwin),
        Arguments.of("pageHinkley", (Supplier<ConceptDriftDetector>) ConceptDriftDetector::pageHinkley),
        Arguments.of("ddm", (Supplier<ConceptDriftDetector>) ConceptDriftDetector::ddm));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("detectors")
  void errorRateJumpIsFlaggedWithinBoundedDelay(String name, Supplier<ConceptDriftDetector> factory) {
    ConceptDriftDetector d = factory.get();
    assertEquals(name, d.name());
    SplittableRandom random = new SplittableRandom(42);
    int firstDrift = -1;
    for (int i = 0; i < CHANGE_AT + 5_000; i++) {
      double rate = i < CHANGE_AT ? 0.1 : 0.4;
      if (d.update(random.nextDouble() < rate ? 1 : 0) == MonitorState.DRIFT) {
        firstDrift = i;
        break;
      }
    }
    assertTrue(firstDrift >= CHANGE_AT, name + " raised drift before the change, at " + firstDrift);
    assertTrue(firstDrift < CHANGE_AT + MAX_DELAY, name + " flagged the change only at " + firstDrift);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("detectors")
  void stationaryStreamRaisesNoDrift(String name, Supplier<ConceptDriftDetector> factory) {
    ConceptDriftDetector d = factory.get();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      MonitorState s = d.update(random.nextDouble() < 0.1 ? 1 : 0);
      assertTrue(s != MonitorState.DRIFT, name + " raised drift on a stationary stream at point " + i);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("detectors")
  void detectorStartsAfreshAfterDrift(String name, Supplier<ConceptDriftDetector> factory) {
    ConceptDriftDetector d = factory.get();
    SplittableRandom random = new SplittableRandom(3);
    boolean drifted = false;
    for (int i = 0; i < 20_000 && !drifted; i++) {
      drifted = d.update(random.nextDouble() < (i < 2_000 ? 0.05 : 0.6) ? 1 : 0) == MonitorState.DRIFT;
    }
    assertTrue(drifted, name + " never flagged a jump from 0.05 to 0.6");
    assertTrue(d.update(0) != MonitorState.DRIFT, name + " still in drift right after signalling it");
  }
}
