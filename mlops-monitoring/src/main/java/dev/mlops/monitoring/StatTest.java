package dev.mlops.monitoring;

import dev.mlops.core.InvalidInputException;
import java.util.Objects;

/**
 * A drift test with its threshold. Tests with a p-value ({@link #ks}, {@link #chiSquare},
 * {@link #z}) flag drift when the p-value is at most (ks) or below (chi-square, z) the threshold;
 * distance tests ({@link #wasserstein}, {@link #psi}, {@link #jensenShannon}, {@link #hellinger})
 * flag drift when the distance is at least the threshold. Immutable.
 *
 * <pre>{@code
 * Drift.between(reference, current)
 *     .test("age", StatTest.psi().threshold(0.25))
 *     .categoricalTest(StatTest.jensenShannon())
 *     .run();
 * }</pre>
 */
public final class StatTest {
  /** Which statistic a test computes. */
  public enum Kind {
    KS("ks", true, 0.05),
    CHI_SQUARE("chiSquare", true, 0.05),
    Z("z", true, 0.05),
    WASSERSTEIN("wasserstein", false, 0.1),
    PSI("psi", false, 0.2),
    JENSEN_SHANNON("jensenShannon", false, 0.1),
    HELLINGER("hellinger", false, 0.1);

    private final String id;
    private final boolean pValue;
    private final double defaultThreshold;

    Kind(String id, boolean pValue, double defaultThreshold) {
      this.id = id;
      this.pValue = pValue;
      this.defaultThreshold = defaultThreshold;
    }

    /** The test's name in reports. */
    public String id() {
      return id;
    }

    /** Whether the test yields a p-value (else a distance). */
    public boolean hasPValue() {
      return pValue;
    }
  }

  private final Kind kind;
  private final double threshold;

  private StatTest(Kind kind, double threshold) {
    this.kind = kind;
    this.threshold = threshold;
  }

  /** Two-sample Kolmogorov–Smirnov; drift when p ≤ 0.05. Numeric columns only. */
  public static StatTest ks() {
    return of(Kind.KS);
  }

  /** Chi-square on the 2×K table of value counts, no continuity correction; drift when p &lt; 0.05. */
  public static StatTest chiSquare() {
    return of(Kind.CHI_SQUARE);
  }

  /** Pooled two-proportion z-test for two-valued columns; drift when p &lt; 0.05. */
  public static StatTest z() {
    return of(Kind.Z);
  }

  /** W1 distance divided by max(reference std, 0.001); drift when ≥ 0.1. Numeric columns only. */
  public static StatTest wasserstein() {
    return of(Kind.WASSERSTEIN);
  }

  /** Population stability index over the bins; drift when ≥ 0.2. */
  public static StatTest psi() {
    return of(Kind.PSI);
  }

  /** Jensen–Shannon distance, base 2, over the bins; drift when ≥ 0.1. */
  public static StatTest jensenShannon() {
    return of(Kind.JENSEN_SHANNON);
  }

  /** Hellinger distance over the bins; drift when ≥ 0.1. */
  public static StatTest hellinger() {
    return of(Kind.HELLINGER);
  }

  static StatTest of(Kind kind) {
    return new StatTest(kind, kind.defaultThreshold);
  }

  /**
   * The same test with another threshold: a p-value level in (0, 1) for p-value tests, a
   * non-negative distance for distance tests.
   *
   * @throws InvalidInputException if the threshold does not fit the test
   */
  public StatTest threshold(double threshold) {
    boolean ok = kind.pValue ? threshold > 0 && threshold < 1 : threshold >= 0 && Double.isFinite(threshold);
    if (!ok) {
      throw new InvalidInputException("threshold " + threshold + " does not fit the " + kind.id + " test; use "
          + (kind.pValue ? "a p-value level between 0 and 1" : "a finite distance of at least 0"));
    }
    return new StatTest(kind, threshold);
  }

  /** Which statistic this test computes. */
  public Kind kind() {
    return kind;
  }

  /** The test's name in reports, e.g. {@code "psi"}. */
  public String name() {
    return kind.id;
  }

  /** The threshold. */
  public double threshold() {
    return threshold;
  }

  /** Whether a result is drift under this test's rule. */
  boolean drifted(double statistic, double pValue) {
    return switch (kind) {
      case KS -> pValue <= threshold;
      case CHI_SQUARE, Z -> pValue < threshold;
      default -> statistic >= threshold;
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatTest t && t.kind == kind && Double.compare(t.threshold, threshold) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, threshold);
  }

  @Override
  public String toString() {
    return kind.id + "(threshold " + threshold + ")";
  }
}
