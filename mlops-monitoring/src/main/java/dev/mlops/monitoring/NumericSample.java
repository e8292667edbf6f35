package dev.mlops.monitoring;

/**
 * One side of a numeric column as a drift test sees it: exact values ({@link SortedSample}) or a
 * profile's sketch and counts ({@link SketchSample}). Missing and ±Inf values are already out.
 */
interface NumericSample {
  /** Distinct-value counts above this are reported as {@link #MANY}. */
  int MANY = Integer.MAX_VALUE;

  /** How many finite values. */
  long count();

  /** Population standard deviation of the finite values. */
  double std();

  double min();

  double max();

  /** The number of distinct values, or {@link #MANY} when there are more than 64. */
  int distinctCount();

  /** The distinct values, ascending; only called when {@link #distinctCount()} is not MANY. */
  double[] distinctValues();

  /** The bins this side defines when it is the reference. */
  Binning referenceBinning();

  /** Counts per bin (fractional when estimated from a sketch). */
  double[] countsIn(Binning binning);

  /** Values for the two-sample KS test: the data, or a sample drawn evenly from the sketch. */
  double[] ksSample();

  /** Ascending values of the empirical distribution. */
  double[] stepValues();

  /** Cumulative weights of {@link #stepValues()}, or null for one per value. */
  double[] stepWeights();

  /** How many values lie outside [min, max]. */
  long countOutside(double min, double max);
}
