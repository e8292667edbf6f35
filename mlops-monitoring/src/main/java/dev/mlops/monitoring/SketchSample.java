package dev.mlops.monitoring;

import dev.mlops.monitoring.internal.Steps;
import dev.mlops.monitoring.internal.ValueCounts;

/**
 * A numeric column as a {@link Profile} holds it: exact moments, its values as a step
 * distribution (the values themselves while there are at most {@link Profile#EXACT_LIMIT}, else
 * the DDSketch's buckets), exact value counts while there are few and, for a profile made against
 * the reference, exact counts in its bins.
 */
final class SketchSample implements NumericSample {
  /** The largest pseudo-sample drawn from a sketch for the KS test. */
  static final int KS_SAMPLE_LIMIT = 20_000;

  private final ColumnProfile profile;
  private final Steps steps;

  SketchSample(ColumnProfile profile) {
    this.profile = profile;
    this.steps = profile.steps();
  }

  @Override
  public long count() {
    return profile.moments().count();
  }

  @Override
  public double std() {
    return Math.sqrt(profile.moments().variance());
  }

  @Override
  public double min() {
    return profile.moments().min();
  }

  @Override
  public double max() {
    return profile.moments().max();
  }

  @Override
  public int distinctCount() {
    return profile.distinctValues() == null ? MANY : profile.distinctValues().size();
  }

  @Override
  public double[] distinctValues() {
    return profile.distinctValues().values().clone();
  }

  @Override
  public Binning referenceBinning() {
    return Binning.of(profile);
  }

  @Override
  public double[] countsIn(Binning binning) {
    double[] out = new double[binning.size()];
    if (binning.equals(profile.binning())) {
      long[] counts = profile.binCounts();
      for (int i = 0; i < out.length; i++) {
        out[i] = counts[i];
      }
      return out;
    }
    long n = count();
    if (n == 0) {
      return out;
    }
    ValueCounts distinct = profile.distinctValues();
    if (binning.isPerValue()) {
      double known = 0;
      for (int i = 0; i < binning.values().length; i++) {
        double v = binning.values()[i];
        out[i] = distinct != null ? distinct.countOf(v) : steps.countAtMost(v) - steps.countBelow(v);
        known += out[i];
      }
      out[out.length - 1] = Math.max(0, n - known);
      return out;
    }
    if (distinct != null) {
      for (int i = 0; i < distinct.size(); i++) {
        out[binning.binOf(distinct.values()[i])] += distinct.counts()[i];
      }
      return out;
    }
    double[] edges = binning.edges();
    long previous = 0;
    for (int i = 0; i < edges.length; i++) {
      long below = steps.countBelow(edges[i]);
      out[i] = below - previous;
      previous = below;
    }
    out[edges.length] = n - previous;
    return out;
  }

  @Override
  public double[] ksSample() {
    double[] exact = profile.exactValues();
    if (exact != null) {
      return exact;
    }
    int size = (int) Math.min(count(), KS_SAMPLE_LIMIT);
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = steps.quantile((i + 0.5) / size);
    }
    return out;
  }

  @Override
  public double[] stepValues() {
    return steps.values();
  }

  @Override
  public double[] stepWeights() {
    long[] cumulative = steps.cumulative();
    double[] out = new double[cumulative.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = cumulative[i];
    }
    return out;
  }

  @Override
  public long countOutside(double min, double max) {
    if (count() == 0) {
      return 0;
    }
    ValueCounts distinct = profile.distinctValues();
    if (distinct != null) {
      long outside = 0;
      for (int i = 0; i < distinct.size(); i++) {
        if (distinct.values()[i] < min || distinct.values()[i] > max) {
          outside += distinct.counts()[i];
        }
      }
      return outside;
    }
    return steps.countBelow(min) + (count() - steps.countAtMost(max));
  }
}
