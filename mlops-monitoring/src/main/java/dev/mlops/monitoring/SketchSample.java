package dev.mlops.monitoring;

import dev.mlops.monitoring.internal.ValueCounts;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * A numeric column as a {@link Profile} holds it: moments, the KLL sketch, exact value counts
 * while there are few and, for a profile made against the reference, exact counts in its bins.
 */
final class SketchSample implements NumericSample {
  /** The largest pseudo-sample drawn from a sketch in estimation mode for the KS test. */
  static final int KS_SAMPLE_LIMIT = 20_000;

  private final ColumnProfile profile;
  private final KllDoublesSketch sketch;

  SketchSample(ColumnProfile profile) {
    this.profile = profile;
    this.sketch = profile.sketch();
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
        out[i] = distinct != null
            ? distinct.countOf(v)
            : n * (sketch.getRank(v, QuantileSearchCriteria.INCLUSIVE) - sketch.getRank(v, QuantileSearchCriteria.EXCLUSIVE));
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
    double[] cdf = sketch.getCDF(binning.edges(), QuantileSearchCriteria.EXCLUSIVE);
    double previous = 0;
    for (int i = 0; i < cdf.length; i++) {
      out[i] = n * (cdf[i] - previous);
      previous = cdf[i];
    }
    return out;
  }

  @Override
  public double[] ksSample() {
    if (!sketch.isEstimationMode()) {
      DoublesSortedView view = sketch.getSortedView();
      double[] items = view.getQuantiles();
      long[] cumulative = view.getCumulativeWeights();
      double[] out = new double[(int) count()];
      int k = 0;
      long previous = 0;
      for (int i = 0; i < items.length; i++) {
        for (long w = previous; w < cumulative[i]; w++) {
          out[k++] = items[i];
        }
        previous = cumulative[i];
      }
      return out;
    }
    int size = (int) Math.min(count(), KS_SAMPLE_LIMIT);
    double[] ranks = new double[size];
    for (int i = 0; i < size; i++) {
      ranks[i] = (i + 0.5) / size;
    }
    return sketch.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE);
  }

  @Override
  public double[] stepValues() {
    return sketch.getSortedView().getQuantiles();
  }

  @Override
  public double[] stepWeights() {
    long[] cumulative = sketch.getSortedView().getCumulativeWeights();
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
    double below = sketch.getRank(min, QuantileSearchCriteria.EXCLUSIVE);
    double atMost = sketch.getRank(max, QuantileSearchCriteria.INCLUSIVE);
    return Math.round(count() * (below + (1 - atMost)));
  }
}
