package dev.mlops.examples;

import dev.mlops.core.Frame;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.Drift;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.Profile;
import dev.mlops.monitoring.StatTest;
import dev.mlops.monitoring.Window;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Drift monitoring in one page: profile the training data once and keep the profile as JSON,
 * compare new data with it exactly (frame against frame) and through profiles (which merge, so
 * they can be computed per partition), write the HTML report, and watch a stream of rows in
 * windows with a {@link Monitor} that raises an alert when a window drifts.
 *
 * <pre>{@code
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.mlops.examples.MonitoringExample -Dexec.args=target/monitoring
 * }</pre>
 */
public final class MonitoringExample {
  private MonitoringExample() {}

  public static void main(String[] args) throws IOException {
    Path out = OutputFolder.prepare(args, "target/examples/monitoring");
    // The quickstart's split and simulated drift: two measurements read too large.
    Iris.Split split = Iris.split(Quickstart.SPLIT_SEED);
    Frame training = split.train().select(Iris.FEATURES);
    Frame today = split.heldOut().select(Iris.FEATURES);
    Frame miscalibrated = Iris.shift(today, Quickstart.SHIFT);

    // The reference profile: computed once, saved next to the model, read back for every check.
    Path profileFile = Files.writeString(out.resolve("reference-profile.json"), Profile.of(training).toJson());
    Profile reference = Profile.fromJson(Files.readString(profileFile));
    System.out.println("reference profile of " + reference.rowCount() + " rows: " + profileFile);

    // Exact tests on the data; the default test per column (here ks), or one chosen for a column.
    DriftReport exact = Drift.between(training, miscalibrated)
        .defaults()
        .test("petal_length", StatTest.psi().threshold(0.2))
        .run();
    System.out.println("\nexact: " + exact.summary());
    for (ColumnDrift c : exact.columns()) {
      System.out.printf(Locale.ROOT, "  %-13s %-4s statistic %.4f  %s%n",
          c.column(), c.test(), c.statistic(), c.drifted() ? "drifted" : "stable");
    }
    Path html = out.resolve("drift-report.html");
    exact.writeHtml(html);
    Files.writeString(out.resolve("drift-report.json"), exact.toJson());

    // Through profiles: two halves profiled apart (as two partitions would be) and merged.
    int half = miscalibrated.rowCount() / 2;
    Profile first = Profile.against(reference).of(miscalibrated.slice(0, half));
    Profile second = Profile.against(reference).of(miscalibrated.slice(half, miscalibrated.rowCount()));
    DriftReport sketched = Drift.between(reference, first.merge(second)).run();
    System.out.println("\nthrough merged profiles (" + sketched.method() + "): " + sketched.summary());
    System.out.println("unshifted rows, for comparison: " + Drift.between(training, today).run().summary());

    // A stream: windows of 30 rows, each compared with the reference when it closes.
    try (Monitor monitor = Monitor.builder(reference)
        .window(Window.ofCount(30))
        .onAlert(alert -> System.out.println("  ALERT " + alert.kind() + ": " + alert.summary()))
        .build()) {
      System.out.println("\nstreaming " + today.rowCount() + " rows as measured, then the same rows miscalibrated:");
      for (Frame batch : new Frame[] {today, miscalibrated}) {
        for (int i = 0; i < batch.rowCount(); i++) {
          monitor.observe(batch.row(i));
        }
        System.out.println("  after " + monitor.windowsClosed() + " windows the monitor is " + monitor.state());
      }
    }
    System.out.println("\nreport " + html);
  }
}
