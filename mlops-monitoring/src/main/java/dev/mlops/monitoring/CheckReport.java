package dev.mlops.monitoring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.html.HtmlEscapers;
import dev.mlops.core.CanonicalJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * What a {@link Check} found: the features' drift, the target's and prediction's drift, quality
 * on the reference beside the current data, and every condition with its outcome. Immutable.
 *
 * <pre>{@code
 * CheckReport report = Check.between(reference, current).target("label").prediction("predicted")
 *     .condition("accuracy >= 0.9").run();
 * Files.writeString(Path.of("check.json"), report.toJson());
 * System.exit(report.exitStatus());
 * }</pre>
 */
public final class CheckReport {
  private final DriftReport drift;
  private final Optional<ColumnDrift> targetDrift;
  private final Optional<ColumnDrift> predictionDrift;
  private final Optional<ClassificationQuality> referenceClassification;
  private final Optional<ClassificationQuality> currentClassification;
  private final Optional<RegressionQuality> referenceRegression;
  private final Optional<RegressionQuality> currentRegression;
  private final List<ConditionResult> conditions;
  private final String target;
  private final String prediction;

  private CheckReport(DriftReport drift, Optional<ColumnDrift> targetDrift, Optional<ColumnDrift> predictionDrift,
      Optional<ClassificationQuality> referenceClassification, Optional<ClassificationQuality> currentClassification,
      Optional<RegressionQuality> referenceRegression, Optional<RegressionQuality> currentRegression,
      Map<String, Condition> conditions, String target, String prediction) {
    this.drift = drift;
    this.targetDrift = targetDrift;
    this.predictionDrift = predictionDrift;
    this.referenceClassification = referenceClassification;
    this.currentClassification = currentClassification;
    this.referenceRegression = referenceRegression;
    this.currentRegression = currentRegression;
    this.target = target;
    this.prediction = prediction;
    List<ConditionResult> results = new ArrayList<>();
    conditions.forEach((name, condition) -> {
      Value v = value(name);
      results.add(ConditionResult.of(name, condition, v.value, v.unavailable));
    });
    this.conditions = List.copyOf(results);
  }

  static CheckReport of(DriftReport drift, Optional<ColumnDrift> targetDrift, Optional<ColumnDrift> predictionDrift,
      Optional<ClassificationQuality> referenceClassification, Optional<ClassificationQuality> currentClassification,
      Optional<RegressionQuality> referenceRegression, Optional<RegressionQuality> currentRegression,
      Map<String, Condition> conditions, String target, String prediction) {
    return new CheckReport(drift, targetDrift, predictionDrift, referenceClassification, currentClassification,
        referenceRegression, currentRegression, conditions, target, prediction);
  }

  /** Whether every condition passed (true when none was set). */
  public boolean passed() {
    return conditions.stream().allMatch(ConditionResult::passed);
  }

  /** 0 when every condition passed, else 1: the exit status of a command-line check. */
  public int exitStatus() {
    return passed() ? 0 : 1;
  }

  /** Every condition with its outcome, in the order they were set. */
  public List<ConditionResult> conditions() {
    return conditions;
  }

  /** The conditions that failed. */
  public List<ConditionResult> failures() {
    return conditions.stream().filter(c -> !c.passed()).toList();
  }

  /** The features' drift (target, prediction and score columns left out). */
  public DriftReport drift() {
    return drift;
  }

  /** The target column's drift, when both frames have it. */
  public Optional<ColumnDrift> targetDrift() {
    return targetDrift;
  }

  /** The prediction column's drift, when both frames have it. */
  public Optional<ColumnDrift> predictionDrift() {
    return predictionDrift;
  }

  /** Classification quality on the reference, for a categorical target. */
  public Optional<ClassificationQuality> referenceClassification() {
    return referenceClassification;
  }

  /** Classification quality on the current data, for a categorical target. */
  public Optional<ClassificationQuality> currentClassification() {
    return currentClassification;
  }

  /** Regression quality on the reference, for a numeric target. */
  public Optional<RegressionQuality> referenceRegression() {
    return referenceRegression;
  }

  /** Regression quality on the current data, for a numeric target. */
  public Optional<RegressionQuality> currentRegression() {
    return currentRegression;
  }

  /** A value of the current data by its condition name, NaN with the reason when it has none. */
  private record Value(double value, String unavailable) {
    static Value of(double v) {
      return new Value(v, null);
    }

    static Value none(String why) {
      return new Value(Double.NaN, why);
    }
  }

  private Value value(String name) {
    int colon = name.indexOf(':');
    String base = colon < 0 ? name : name.substring(0, colon);
    String arg = colon < 0 ? null : name.substring(colon + 1);
    switch (base) {
      case "drifted_share":
        return drift.columns().isEmpty() ? Value.none("no feature column was tested") : Value.of(drift.driftedShare());
      case "drifted_columns":
        return Value.of(drift.columns().stream().filter(ColumnDrift::drifted).count());
      case "target_drift":
        return targetDrift.map(c -> Value.of(c.statistic()))
            .orElse(Value.none("both frames need the target column" + named(target)));
      case "prediction_drift":
        return predictionDrift.map(c -> Value.of(c.statistic()))
            .orElse(Value.none("both frames need the prediction column" + named(prediction)));
      case Check.MISSING_SHARE:
        return drift.quality().columns().stream().filter(q -> q.column().equals(arg)).findFirst()
            .map(q -> Value.of(q.currentMissingShare()))
            .orElse(Value.none("no feature column '" + arg + "' in both frames"));
      default:
        break;
    }
    if (Check.PER_CLASS.contains(base) || base.equals("accuracy") || base.equals("log_loss")) {
      if (currentClassification.isEmpty()) {
        return Value.none("classification quality needs categorical target and prediction columns in the current "
            + "data; set them with target(...) and prediction(...)");
      }
      ClassificationQuality q = currentClassification.get();
      if (arg != null) {
        Map<String, Double> perClass = base.equals("precision") ? q.precision() : base.equals("recall") ? q.recall()
            : q.f1();
        Double v = perClass.get(arg);
        return v == null ? Value.none("no class '" + arg + "'; the classes are " + q.classes()) : Value.of(v);
      }
      return switch (base) {
        case "accuracy" -> Value.of(q.accuracy());
        case "precision" -> Value.of(q.precisionMacro());
        case "recall" -> Value.of(q.recallMacro());
        case "f1" -> Value.of(q.f1Macro());
        default -> q.logLoss().isPresent() ? Value.of(q.logLoss().getAsDouble())
            : Value.none("the log loss needs class score columns; set their prefix with scores(...)");
      };
    }
    if (currentRegression.isEmpty()) {
      return Value.none("regression quality needs numeric target and prediction columns in the current data; "
          + "set them with target(...) and prediction(...)");
    }
    RegressionQuality q = currentRegression.get();
    return Value.of(switch (base) {
      case "mae" -> q.mae();
      case "rmse" -> q.rmse();
      case "mape" -> q.mape();
      case "r2" -> q.r2();
      default -> q.meanError();
    });
  }

  private static String named(String column) {
    return column == null ? "; name it with target(...) or prediction(...)" : " '" + column + "'";
  }

  /** The report as canonical JSON: passed, conditions, drift, target and prediction drift, quality. */
  public String toJson() {
    ObjectNode o = CanonicalJson.object();
    o.put("passed", passed());
    ArrayNode cs = o.putArray("conditions");
    for (ConditionResult c : conditions) {
      ObjectNode j = cs.addObject();
      j.put("value", c.value());
      j.put("condition", c.condition().describe());
      DriftReport.putNumber(j, "actual", c.actual());
      j.put("passed", c.passed());
      DriftReport.putNumber(j, "shortfall", c.shortfall());
      j.put("message", c.message());
    }
    o.set("drift", CanonicalJson.parse(drift.toJson()));
    targetDrift.ifPresent(c -> o.set("targetDrift", columnJson(c)));
    predictionDrift.ifPresent(c -> o.set("predictionDrift", columnJson(c)));
    referenceClassification.ifPresent(q -> o.set("referenceClassification", classificationJson(q)));
    currentClassification.ifPresent(q -> o.set("currentClassification", classificationJson(q)));
    referenceRegression.ifPresent(q -> o.set("referenceRegression", regressionJson(q)));
    currentRegression.ifPresent(q -> o.set("currentRegression", regressionJson(q)));
    return CanonicalJson.toString(o);
  }

  private static ObjectNode columnJson(ColumnDrift c) {
    ObjectNode j = CanonicalJson.object();
    j.put("column", c.column());
    j.put("test", c.test());
    DriftReport.putNumber(j, "statistic", c.statistic());
    c.pValue().ifPresent(p -> DriftReport.putNumber(j, "pValue", p));
    j.put("drifted", c.drifted());
    return j;
  }

  private static ObjectNode classificationJson(ClassificationQuality q) {
    ObjectNode j = CanonicalJson.object();
    j.put("rows", q.rows());
    j.put("skipped", q.skipped());
    q.classes().forEach(j.putArray("classes")::add);
    DriftReport.putNumber(j, "accuracy", q.accuracy());
    DriftReport.putNumber(j, "precisionMacro", q.precisionMacro());
    DriftReport.putNumber(j, "recallMacro", q.recallMacro());
    DriftReport.putNumber(j, "f1Macro", q.f1Macro());
    q.logLoss().ifPresent(v -> DriftReport.putNumber(j, "logLoss", v));
    ObjectNode per = j.putObject("perClass");
    for (String k : q.classes()) {
      ObjectNode c = per.putObject(k);
      DriftReport.putNumber(c, "precision", q.precision().get(k));
      DriftReport.putNumber(c, "recall", q.recall().get(k));
      DriftReport.putNumber(c, "f1", q.f1().get(k));
    }
    ArrayNode m = j.putArray("confusion");
    for (long[] row : q.confusion()) {
      ArrayNode r = m.addArray();
      for (long v : row) {
        r.add(v);
      }
    }
    return j;
  }

  private static ObjectNode regressionJson(RegressionQuality q) {
    ObjectNode j = CanonicalJson.object();
    j.put("rows", q.rows());
    j.put("skipped", q.skipped());
    DriftReport.putNumber(j, "mae", q.mae());
    DriftReport.putNumber(j, "rmse", q.rmse());
    DriftReport.putNumber(j, "mape", q.mape());
    DriftReport.putNumber(j, "r2", q.r2());
    DriftReport.putNumber(j, "meanError", q.meanError());
    DriftReport.putNumber(j, "errorStd", q.errorStd());
    ArrayNode qs = j.putArray("errorQuantiles");
    double[] values = q.errorQuantiles();
    for (int i = 0; i < values.length; i++) {
      ObjectNode e = qs.addObject();
      e.put("level", RegressionQuality.QUANTILES.get(i));
      DriftReport.putNumber(e, "value", values[i]);
    }
    return j;
  }

  /**
   * One self-contained HTML page: the outcome, each condition (failed ones first in red, with the
   * shortfall), target and prediction drift, quality on both sides with the confusion matrices as
   * heat maps, the error quantiles, and the features' drift table.
   */
  public String toHtml() {
    StringBuilder h = new StringBuilder(8_192);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Check report</title><style>")
        .append("body{font-family:sans-serif;margin:24px;color:#222}")
        .append("table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;")
        .append("text-align:left}td.n{text-align:right}.ok{color:#1a7f37}.bad{color:#c62828;font-weight:bold}")
        .append("tr.failed td{background:#fde2e1}.heat td{text-align:right;min-width:3em}")
        .append("</style></head><body>\n<h1>Check report</h1>\n");
    long failed = failures().size();
    h.append("<p class=\"").append(passed() ? "ok" : "bad").append("\">")
        .append(conditions.isEmpty() ? "no conditions set"
            : passed() ? "all " + conditions.size() + " conditions passed"
            : failed + " of " + conditions.size() + " conditions failed")
        .append("</p>\n");
    if (!conditions.isEmpty()) {
      h.append("<h2>Conditions</h2>\n<table><thead><tr><th>value</th><th>condition</th><th>current</th>")
          .append("<th>outcome</th><th>failed by</th></tr></thead><tbody>\n");
      List<ConditionResult> ordered = new ArrayList<>(failures());
      conditions.stream().filter(ConditionResult::passed).forEach(ordered::add);
      for (ConditionResult c : ordered) {
        h.append(c.passed() ? "<tr>" : "<tr class=\"failed\">").append("<td>").append(esc(c.value()))
            .append("</td><td>").append(esc(c.condition().describe())).append("</td><td class=\"n\">")
            .append(Condition.number(c.actual())).append("</td><td class=\"").append(c.passed() ? "ok" : "bad")
            .append("\">").append(c.passed() ? "passed" : "failed").append("</td><td class=\"n\">")
            .append(c.passed() ? "" : Double.isNaN(c.shortfall()) ? esc(c.message()) : Condition.number(c.shortfall()))
            .append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    h.append("<h2>Data drift</h2>\n<p class=\"").append(drift.datasetDrift() ? "bad" : "ok").append("\">")
        .append(esc(drift.summary())).append("</p>\n");
    if (targetDrift.isPresent() || predictionDrift.isPresent()) {
      h.append("<table><thead><tr><th>column</th><th>role</th><th>test</th><th>statistic</th><th>p-value</th>")
          .append("<th>drifted</th></tr></thead><tbody>\n");
      targetDrift.ifPresent(c -> driftRow(h, c, "target"));
      predictionDrift.ifPresent(c -> driftRow(h, c, "prediction"));
      h.append("</tbody></table>\n");
    }
    if (referenceClassification.isPresent() || currentClassification.isPresent()) {
      classificationHtml(h);
    }
    if (referenceRegression.isPresent() || currentRegression.isPresent()) {
      regressionHtml(h);
    }
    h.append("<h2>Feature columns</h2>\n<table><thead><tr><th>column</th><th>test</th><th>statistic</th>")
        .append("<th>drifted</th></tr></thead><tbody>\n");
    for (ColumnDrift c : drift.columns()) {
      h.append("<tr><td>").append(esc(c.column())).append("</td><td>").append(c.test()).append("</td><td class=\"n\">")
          .append(Condition.number(c.statistic())).append("</td><td>").append(c.drifted() ? "yes" : "no")
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n</body></html>\n");
    return h.toString();
  }

  private static void driftRow(StringBuilder h, ColumnDrift c, String role) {
    h.append("<tr><td>").append(esc(c.column())).append("</td><td>").append(role).append("</td><td>").append(c.test())
        .append("</td><td class=\"n\">").append(Condition.number(c.statistic())).append("</td><td class=\"n\">")
        .append(c.pValue().isPresent() ? Condition.number(c.pValue().getAsDouble()) : "").append("</td><td>")
        .append(c.drifted() ? "yes" : "no").append("</td></tr>\n");
  }

  private void classificationHtml(StringBuilder h) {
    h.append("<h2>Classification quality</h2>\n<table><thead><tr><th></th><th>reference</th><th>current</th>")
        .append("</tr></thead><tbody>\n");
    qualityRow(h, "rows", referenceClassification, currentClassification, q -> q.rows());
    qualityRow(h, "accuracy", referenceClassification, currentClassification, ClassificationQuality::accuracy);
    qualityRow(h, "precision (macro)", referenceClassification, currentClassification,
        ClassificationQuality::precisionMacro);
    qualityRow(h, "recall (macro)", referenceClassification, currentClassification, ClassificationQuality::recallMacro);
    qualityRow(h, "F1 (macro)", referenceClassification, currentClassification, ClassificationQuality::f1Macro);
    qualityRow(h, "log loss", referenceClassification, currentClassification, q -> q.logLoss().orElse(Double.NaN));
    List<String> classes = currentClassification.or(() -> referenceClassification).orElseThrow().classes();
    for (String k : classes) {
      qualityRow(h, "F1 " + k, referenceClassification, currentClassification,
          q -> q.f1().getOrDefault(k, Double.NaN));
    }
    h.append("</tbody></table>\n");
    referenceClassification.ifPresent(q -> heatMap(h, "reference", q));
    currentClassification.ifPresent(q -> heatMap(h, "current", q));
  }

  /** The confusion matrix, each cell shaded by its share of its true class's row. */
  private static void heatMap(StringBuilder h, String side, ClassificationQuality q) {
    h.append("<h3>Confusion matrix, ").append(side).append(" (rows: true class, columns: predicted)</h3>\n")
        .append("<table class=\"heat\"><thead><tr><th></th>");
    for (String k : q.classes()) {
      h.append("<th>").append(esc(k)).append("</th>");
    }
    h.append("</tr></thead><tbody>\n");
    long[][] m = q.confusion();
    for (int i = 0; i < m.length; i++) {
      long total = 0;
      for (long v : m[i]) {
        total += v;
      }
      h.append("<tr><th>").append(esc(q.classes().get(i))).append("</th>");
      for (long v : m[i]) {
        double share = total == 0 ? 0 : (double) v / total;
        int light = (int) Math.round(255 - 160 * share);
        h.append("<td style=\"background:rgb(").append(light).append(',').append(light).append(",255)\">")
            .append(v).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private void regressionHtml(StringBuilder h) {
    h.append("<h2>Regression quality</h2>\n<table><thead><tr><th></th><th>reference</th><th>current</th>")
        .append("</tr></thead><tbody>\n");
    qualityRow(h, "rows", referenceRegression, currentRegression, q -> q.rows());
    qualityRow(h, "MAE", referenceRegression, currentRegression, RegressionQuality::mae);
    qualityRow(h, "RMSE", referenceRegression, currentRegression, RegressionQuality::rmse);
    qualityRow(h, "MAPE", referenceRegression, currentRegression, RegressionQuality::mape);
    qualityRow(h, "R²", referenceRegression, currentRegression, RegressionQuality::r2);
    qualityRow(h, "mean error (predicted − true)", referenceRegression, currentRegression,
        RegressionQuality::meanError);
    qualityRow(h, "error std", referenceRegression, currentRegression, RegressionQuality::errorStd);
    for (int i = 0; i < RegressionQuality.QUANTILES.size(); i++) {
      int k = i;
      qualityRow(h, "error quantile " + Condition.number(RegressionQuality.QUANTILES.get(i)), referenceRegression,
          currentRegression, q -> q.errorQuantiles()[k]);
    }
    h.append("</tbody></table>\n");
  }

  private static <Q> void qualityRow(StringBuilder h, String label, Optional<Q> reference, Optional<Q> current,
      ToDoubleFunction<Q> value) {
    h.append("<tr><td>").append(esc(label)).append("</td><td class=\"n\">")
        .append(reference.map(q -> Condition.number(value.applyAsDouble(q))).orElse("—")).append("</td><td class=\"n\">")
        .append(current.map(q -> Condition.number(value.applyAsDouble(q))).orElse("—")).append("</td></tr>\n");
  }

  private static String esc(String s) {
    return HtmlEscapers.htmlEscaper().escape(s);
  }

  @Override
  public String toString() {
    return "CheckReport[" + (passed() ? "passed" : failures().size() + " failed") + ", " + drift.summary() + "]";
  }
}
