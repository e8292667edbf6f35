package dev.mlops.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.monitoring.ColumnQuality;
import dev.mlops.monitoring.Condition;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example, on fewer rows: it writes the profile and the report, and finds the shifted columns drifted. */
class SparkDriftExampleTest {
  @TempDir Path dir;

  @Test
  void writesTheProfileAndAReportThatFindsTheShift() throws Exception {
    DriftReport report = SparkDriftExample.run(LocalSpark.session(), 20_000, dir);
    assertTrue(report.column("income").drifted());
    assertTrue(report.column("region").drifted());
    assertFalse(report.column("age").drifted());
    assertEquals(report.toJson(), Files.readString(dir.resolve("drift.json")));
    assertEquals(20_000, Profile.fromJson(Files.readString(dir.resolve("reference-profile.json"))).rowCount());
    assertTrue(Files.readString(dir.resolve("drift.html")).contains("income"));
  }

  @Test
  void theReportsQualityAndConditionsAreTheMonitoringModules() {
    DriftReport report = SparkDriftExample.run(LocalSpark.session(), 20_000, dir);
    ColumnQuality score = report.quality().columns().stream().filter(c -> c.column().equals("score")).findFirst().orElseThrow();
    assertTrue(Condition.between(0.01, 0.03).test(score.currentMissingShare()), "2 % of scores are null");
    assertTrue(Condition.atMost(0).test(score.outOfRange()));
    assertFalse(Condition.atMost(0.3).test(report.driftedShare()), "income and region of 6 columns drifted");
    assertTrue(report.quality().missingColumns().isEmpty());
  }
}
