package dev.mlops.packaging.probe;

/** A class a hostile package may name inside its model: initialising it leaves a trace. */
public final class Nested {
  static {
    Initialisations.record(Nested.class);
  }

  private Nested() {}
}
