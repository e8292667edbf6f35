package dev.mlops.cli;

import picocli.CommandLine.IVersionProvider;

/** The version of the jar the command runs from, as its manifest records it. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Mlops.class.getPackage().getImplementationVersion();
    return new String[] {"mlops " + (version == null ? "(development build)" : version)};
  }
}
