package dev.mlops.packaging;

import java.util.List;
import org.tribuo.Example;
import org.tribuo.FeatureMap;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;
import org.tribuo.util.Merger;

/**
 * An {@link ArrayExample} over arrays whose names are already in Tribuo's order (ascending by
 * {@link String#compareTo}, no duplicates). {@code ArrayExample}'s public constructors copy both
 * arrays and arg-sort the names over boxed indices on every call; a row encoded in the order
 * resolved once from the signature needs neither. The arrays are taken over, not copied: the
 * caller hands in fresh values of exactly {@code names.length} features, and names that are
 * either fresh or shared with other examples: shared names are copied before any method of
 * {@code ArrayExample} that writes names in place ({@code sort}, {@code densify},
 * {@code reduceByName}, {@code canonicalize}) runs, so that changing one example never changes
 * another. ({@code add} and {@code addAll} grow the arrays, which copies them, before writing.)
 *
 * <p>Behaves as a plain {@code ArrayExample} everywhere else: {@code copy()}, {@code equals} and
 * protobuf serialization already produce or compare plain {@code ArrayExample}s, and Java
 * serialization writes a plain copy, so a prediction's example never needs this class to be read.
 */
final class PresortedExample<T extends Output<T>> extends ArrayExample<T> {
  private static final long serialVersionUID = 1L;

  /** Whether {@link #featureNames} is shared with other examples, so must be copied before it is written. */
  private boolean sharedNames;

  PresortedExample(T output, String[] sortedNames, double[] values, boolean sharedNames) {
    super(output, Example.DEFAULT_WEIGHT, 0);
    this.featureNames = sortedNames;
    this.featureValues = values;
    this.size = sortedNames.length;
    this.sharedNames = sharedNames;
  }

  /** Gives this example its own names before they are written in place. */
  private void ownNames() {
    if (sharedNames) {
      featureNames = featureNames.clone();
      sharedNames = false;
    }
  }

  @Override
  protected void sort() {
    ownNames();
    super.sort();
  }

  @Override
  public void densify(List<String> featureList) {
    ownNames();
    super.densify(featureList);
  }

  @Override
  public void reduceByName(Merger merger) {
    ownNames();
    super.reduceByName(merger);
  }

  @Override
  public void canonicalize(FeatureMap featureMap) {
    ownNames();
    super.canonicalize(featureMap);
  }

  private Object writeReplace() {
    return new ArrayExample<>(this);
  }
}
