package dev.mlops.packaging;

import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

/**
 * An {@link ArrayExample} over arrays whose names are already in Tribuo's order (ascending by
 * {@link String#compareTo}, no duplicates). {@code ArrayExample}'s public constructors copy both
 * arrays and arg-sort the names over boxed indices on every call; a row encoded in the order
 * resolved once from the signature needs neither. The arrays are taken over, not copied: the
 * caller hands in fresh arrays of exactly {@code names.length} features.
 *
 * <p>Behaves as a plain {@code ArrayExample} everywhere else: {@code copy()}, {@code equals} and
 * protobuf serialization already produce or compare plain {@code ArrayExample}s, and Java
 * serialization writes a plain copy, so a prediction's example never needs this class to be read.
 */
final class PresortedExample<T extends Output<T>> extends ArrayExample<T> {
  private static final long serialVersionUID = 1L;

  PresortedExample(T output, String[] sortedNames, double[] values) {
    super(output, Example.DEFAULT_WEIGHT, 0);
    this.featureNames = sortedNames;
    this.featureValues = values;
    this.size = sortedNames.length;
  }

  private Object writeReplace() {
    return new ArrayExample<>(this);
  }
}
