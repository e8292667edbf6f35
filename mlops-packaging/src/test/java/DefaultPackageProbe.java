import dev.mlops.packaging.probe.Initialisations;

/** A class in the default package that a hostile package may name: initialising it leaves a trace. */
public final class DefaultPackageProbe {
  static {
    Initialisations.record(DefaultPackageProbe.class);
  }

  private DefaultPackageProbe() {}
}
