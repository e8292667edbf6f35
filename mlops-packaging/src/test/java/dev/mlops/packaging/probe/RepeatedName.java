package dev.mlops.packaging.probe;

/** A class a hostile package may name inside its model: initialising it leaves a trace. */
public final class RepeatedName {
  static {
    Initialisations.record(RepeatedName.class);
  }

  private RepeatedName() {}
}
