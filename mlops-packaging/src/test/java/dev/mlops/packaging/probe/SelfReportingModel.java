package dev.mlops.packaging.probe;

/** A class a hostile package may name as its model: initialising it leaves a trace. */
public final class SelfReportingModel {
  static {
    Initialisations.record(SelfReportingModel.class);
  }

  private SelfReportingModel() {}
}
