package dev.mlops.tracking;

import dev.mlops.packaging.ModelPackage;

/** The tracking tests' small classifier package, for the server's registry tests. */
public final class ServerTestPackages {
  private ServerTestPackages() {}

  /** A package of the test classifier with lineage to this run. */
  public static ModelPackage forRun(String name, String runId) {
    return TestPackages.pkg(name, "1", runId);
  }
}
