package dev.mlops.packaging.probe;

/**
 * A class a hostile package may name as a provenance class (its name as long as {@code
 * org.tribuo.provenance.ModelProvenance}, so it can replace that name in place): initialising it
 * leaves a trace.
 */
public final class HostileProv {
  static {
    Initialisations.record(HostileProv.class);
  }

  private HostileProv() {}
}
