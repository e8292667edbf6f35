package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidInputException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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
        Arguments.of("ddm", (Supplier<ConceptDriftDetector>) ConceptDriftDetector::ddm),
        Arguments.of("hddmA", (Supplier<ConceptDriftDetector>) ConceptDriftDetector::hddmA),
        Arguments.of("hddmW", (Supplier<ConceptDriftDetector>) ConceptDriftDetector::hddmW));
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

  @Test
  void adwinSignalsOnlyRisesByDefaultAndFallsWhenAsked() {
    double[] falling = new ErrorStreams(5).abrupt(0.4, 0.1, 3_000, 3_000);
    double[] rising = new ErrorStreams(5).abrupt(0.1, 0.4, 3_000, 3_000);
    assertEquals(List.of(), MoaReference.signals(ConceptDriftDetector.adwin(), falling, MonitorState.DRIFT));
    assertFalse(MoaReference.signals(ConceptDriftDetector.adwin(), rising, MonitorState.DRIFT).isEmpty());
    ConceptDriftDetector falls = ConceptDriftDetector.adwin(0.002, ChangeDirection.FALL);
    assertFalse(MoaReference.signals(falls, falling, MonitorState.DRIFT).isEmpty());
    assertEquals(List.of(), MoaReference.signals(ConceptDriftDetector.adwin(0.002, ChangeDirection.FALL), rising,
        MonitorState.DRIFT));
    assertFalse(MoaReference.signals(ConceptDriftDetector.adwin(0.002, ChangeDirection.EITHER), falling,
        MonitorState.DRIFT).isEmpty());
  }

  @Test
  void adwinRefusesABadConfidenceOrDirection() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ConceptDriftDetector.adwin(1.5, ChangeDirection.RISE));
    assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> ConceptDriftDetector.adwin(Double.NaN, ChangeDirection.RISE));
    assertThrows(InvalidInputException.class, () -> ConceptDriftDetector.adwin(0.002, null));
  }

  /** The clamped sum is never below MOA's, so its first alarm comes no later, on every seeded change. */
  @Test
  void clampedPageHinkleyFiresNoLaterThanMoasForm() {
    for (long seed = 1; seed <= 60; seed++) {
      double[] errors = new ErrorStreams(seed).gradual(0.1, 0.3, 2_000, 2_000, 2_000);
      List<Integer> clamped = MoaReference.signals(ConceptDriftDetector.pageHinkleyClamped(), errors, MonitorState.DRIFT);
      List<Integer> moa = MoaReference.signals(ConceptDriftDetector.pageHinkley(), errors, MonitorState.DRIFT);
      assertFalse(clamped.isEmpty(), "seed " + seed);
      assertTrue(moa.isEmpty() || clamped.get(0) <= moa.get(0), "seed " + seed + ": " + clamped + " vs " + moa);
    }
    assertEquals("pageHinkleyClamped", ConceptDriftDetector.pageHinkleyClamped().name());
  }
}
