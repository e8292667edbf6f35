package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A drift report given a model's importance says whether the drift matters to the model. */
class DriftImportanceTest {
  private static final String ODD = "<b>&x</b>";
  private static final FeatureImportance IMPORTANCE = new FeatureImportance("permutation", "accuracy", 0.9, 5, List.of(
      new FeatureImportance.Feature("a", 0.50, 0.01),
      new FeatureImportance.Feature(ODD, 0.21, 0.01),
      new FeatureImportance.Feature("c", 0.29, 0.01),
      new FeatureImportance.Feature("d", -0.01, 0.01)));

  /** a and the oddly named column shift (a by a little, the other a lot); c and d do not. */
  private static Frame frame(long seed, double shiftA, double shiftB) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 400;
    double[][] v = new double[4][n];
    for (int i = 0; i < n; i++) {
      v[0][i] = r.nextGaussian() + shiftA;
      v[1][i] = r.nextGaussian() + shiftB;
      v[2][i] = r.nextGaussian();
      v[3][i] = r.nextGaussian();
    }
    return Frame.builder(Schema.of(Field.of("a", FieldType.DOUBLE), Field.of(ODD, FieldType.DOUBLE),
        Field.of("c", FieldType.DOUBLE), Field.of("d", FieldType.DOUBLE)))
        .column("a", v[0]).column(ODD, v[1]).column("c", v[2]).column("d", v[3]).build();
  }

  private static DriftReport report() {
    return Drift.between(frame(1, 0, 0), frame(2, 0.4, 3)).importance(IMPORTANCE).run();
  }

  @Test
  void theSummarySaysWhichShareOfTheImportanceSitsInDriftedColumns() {
    DriftReport report = report();
    assertTrue(report.column("a").drifted() && report.column(ODD).drifted(), report.toString());
    assertFalse(report.column("c").drifted() || report.column("d").drifted(), report.toString());
    assertEquals(0.71, report.driftedImportanceShare().getAsDouble(), 1e-12);
    assertTrue(report.summary().contains("; 2 drifted columns carry 71% of the importance"), report.summary());
    assertEquals(0.5, report.importanceShare("a").getAsDouble(), 1e-12);
    assertEquals(0, report.importanceShare("d").getAsDouble());
  }

  @Test
  void columnsAreSortedByImportanceWeightedDrift() {
    DriftReport report = report();
    List<ColumnDrift> cols = report.columns();
    for (int i = 1; i < cols.size(); i++) {
      assertTrue(report.weightedDrift(cols.get(i - 1)) >= report.weightedDrift(cols.get(i)), cols.toString());
    }
    for (ColumnDrift c : cols) {
      assertEquals(report.importanceShare(c.column()).getAsDouble() * c.severity(), report.weightedDrift(c), 1e-12);
    }
    DriftReport plain = Drift.between(frame(1, 0, 0), frame(2, 0.4, 3)).run();
    assertTrue(plain.importance().isEmpty() && plain.driftedImportanceShare().isEmpty());
    assertFalse(plain.summary().contains("importance"), plain.summary());
    assertEquals(plain.columns().stream().map(ColumnDrift::column).sorted().toList(),
        cols.stream().map(ColumnDrift::column).sorted().toList());
    assertEquals(report.toJson(), plain.withImportance(IMPORTANCE).toJson());
  }

  @Test
  void jsonAndHtmlShowTheImportanceBesideEachColumnEscaped() {
    DriftReport report = report();
    JsonNode json = CanonicalJson.parse(report.toJson());
    assertEquals(0.71, json.get("driftedImportanceShare").doubleValue(), 1e-12);
    assertEquals("permutation", json.get("importance").get("method").textValue());
    for (JsonNode c : json.get("columns")) {
      assertEquals(IMPORTANCE.share(List.of(c.get("column").textValue())), c.get("importanceShare").doubleValue(), 1e-12);
    }
    String html = report.toHtml();
    assertTrue(html.contains("<th>importance</th>"), html);
    assertTrue(html.contains("<td class=\"n\">50%</td>") && html.contains("<td class=\"n\">21%</td>"), html);
    assertFalse(html.contains(ODD), "the column name must be escaped");
    assertTrue(html.contains("&lt;b&gt;&amp;x&lt;/b&gt;"));
    assertTrue(html.contains("carry 71% of the importance"));
  }
}
