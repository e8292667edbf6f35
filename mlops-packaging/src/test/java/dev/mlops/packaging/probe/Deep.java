package dev.mlops.packaging.probe;

/**
 * A class a hostile package may name deep inside its model (its name as long as {@code
 * org.tribuo.ImmutableFeatureMap}, so it can replace that name in place): initialising it leaves a trace.
 */
public final class Deep {
  static {
    Initialisations.record(Deep.class);
  }

  private Deep() {}
}
