package dev.mlops.monitoring;

import dev.mlops.core.InvalidInputException;
import dev.mlops.monitoring.internal.Categories;
import dev.mlops.monitoring.internal.ExactMoments;
import dev.mlops.monitoring.internal.Moments;
import dev.mlops.monitoring.internal.Steps;
import dev.mlops.monitoring.internal.ValueCounts;
import dev.mlops.monitoring.internal.ValueSketch;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The summary of one column inside a {@link Profile}. Numeric columns carry count, missing,
 * non-finite count, min, max, the exact sum and sum of squares (mean and variance are read from
 * them), a DDSketch of relative accuracy {@link Profile#SKETCH_RELATIVE_ACCURACY}, the values
 * themselves while there are at most {@link Profile#EXACT_LIMIT}, exact counts of their values
 * while there are few, and (for a profile made against a reference) counts in the reference's
 * bins; categorical columns carry bounded category counts with an overflow bucket. Immutable.
 *
 * <pre>{@code
 * ColumnProfile age = Profile.of(frame).column("age");
 * double median = age.quantile(0.5).orElseThrow();
 * }</pre>
 */
public final class ColumnProfile {
  private final String name;
  private final boolean numeric;
  private final long missing;
  private final long nonFinite;
  private final ExactMoments exactMoments;
  private final Moments moments;
  private final ValueSketch sketch;
  private final double[] exactValues;
  private final Steps steps;
  private final ValueCounts distinctValues;
  private final Binning binning;
  private final long[] binCounts;
  private final Categories categories;

  ColumnProfile(String name, boolean numeric, long missing, long nonFinite, ExactMoments exactMoments,
      ValueSketch sketch, double[] exactValues, ValueCounts distinctValues, Binning binning, long[] binCounts,
      Categories categories) {
    this.name = name;
    this.numeric = numeric;
    this.missing = missing;
    this.nonFinite = nonFinite;
    this.exactMoments = exactMoments;
    this.moments = exactMoments.moments();
    // Never updated after this point.
    this.sketch = sketch;
    this.exactValues = exactValues == null ? null : exactValues.clone();
    if (!numeric) {
      this.steps = null;
    } else if (exactValues != null) {
      this.steps = Steps.ofSorted(exactValues);
    } else {
      this.steps = sketch.steps(exactMoments.min(), exactMoments.max());
    }
    this.distinctValues = distinctValues;
    this.binning = binning;
    this.binCounts = binCounts == null ? null : binCounts.clone();
    this.categories = categories;
  }

  /** The column's name. */
  public String name() {
    return name;
  }

  /** Whether the column is numeric (else categorical). */
  public boolean isNumeric() {
    return numeric;
  }

  /** How many values were counted: non-missing, and for numeric columns finite. */
  public long count() {
    return numeric ? moments.count() : categories.total();
  }

  /** How many rows had no value. */
  public long missing() {
    return missing;
  }

  /** How many values were ±Infinity (numeric columns); they are kept out of every statistic. */
  public long nonFinite() {
    return nonFinite;
  }

  /** The smallest finite value, empty when there is none or the column is categorical. */
  public OptionalDouble min() {
    return numeric && moments.count() > 0 ? OptionalDouble.of(moments.min()) : OptionalDouble.empty();
  }

  /** The largest finite value, empty when there is none or the column is categorical. */
  public OptionalDouble max() {
    return numeric && moments.count() > 0 ? OptionalDouble.of(moments.max()) : OptionalDouble.empty();
  }

  /** The mean of the finite values. */
  public OptionalDouble mean() {
    return numeric && moments.count() > 0 ? OptionalDouble.of(moments.mean()) : OptionalDouble.empty();
  }

  /** The population variance (ddof = 0) of the finite values. */
  public OptionalDouble variance() {
    return numeric && moments.count() > 0 ? OptionalDouble.of(moments.variance()) : OptionalDouble.empty();
  }

  /**
   * The quantile at {@code rank}: the smallest value whose share of values at most it reaches
   * {@code rank}. Exact while the column holds at most {@link Profile#EXACT_LIMIT} values, beyond
   * that from the sketch, within {@link Profile#SKETCH_RELATIVE_ACCURACY} of a true value at that
   * rank.
   *
   * @throws InvalidInputException if rank is outside [0, 1]
   */
  public OptionalDouble quantile(double rank) {
    if (!(rank >= 0 && rank <= 1)) {
      throw new InvalidInputException("quantile rank " + rank + " is outside [0, 1]");
    }
    if (!numeric || moments.count() == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(steps.quantile(rank));
  }

  /** The kept categories with their counts (empty for numeric columns). */
  public Map<String, Long> categories() {
    return numeric ? Map.of() : categories.counts();
  }

  /** Occurrences of categories beyond the bound, counted together. */
  public long otherCount() {
    return numeric ? 0 : categories.overflow();
  }

  Moments moments() {
    return moments;
  }

  ExactMoments exactMoments() {
    return exactMoments;
  }

  /** The sketch, for reading only: callers must never add to it. */
  ValueSketch sketch() {
    return sketch;
  }

  /** The sorted values while there are at most {@link Profile#EXACT_LIMIT}, else null. */
  double[] exactValues() {
    return exactValues == null ? null : exactValues.clone();
  }

  /** The values as a step distribution: exact, or the sketch's buckets. */
  Steps steps() {
    return steps;
  }

  ValueCounts distinctValues() {
    return distinctValues;
  }

  Binning binning() {
    return binning;
  }

  long[] binCounts() {
    return binCounts == null ? null : binCounts.clone();
  }

  Categories categoryCounts() {
    return categories;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ColumnProfile c
        && c.name.equals(name)
        && c.numeric == numeric
        && c.missing == missing
        && c.nonFinite == nonFinite
        && c.exactMoments.equals(exactMoments)
        && sameSketch(c.sketch, sketch)
        && Arrays.equals(c.exactValues, exactValues)
        && Objects.equals(c.distinctValues, distinctValues)
        && Objects.equals(c.binning, binning)
        && Arrays.equals(c.binCounts, binCounts)
        && Objects.equals(c.categories, categories);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, numeric, missing, exactMoments, categories);
  }

  private static boolean sameSketch(ValueSketch a, ValueSketch b) {
    return a == null || b == null ? a == b : a.sameCounts(b);
  }

  @Override
  public String toString() {
    return name + (numeric ? "(numeric, " : "(categorical, ") + count() + " values, " + missing + " missing)";
  }
}
