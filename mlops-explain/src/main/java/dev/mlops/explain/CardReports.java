package dev.mlops.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.InvalidInputException;
import dev.mlops.tracking.ArtifactInfo;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Tracker;
import java.util.Locale;
import java.util.Optional;

/**
 * The drift and quality sections of a model card, from a report's JSON as {@code
 * DriftReport.toJson()} and {@code CheckReport.toJson()} write it, whether the report was given to
 * the builder or logged on the version's run. A logged report is a JSON artifact with {@code drift},
 * {@code quality} or {@code check} in its name, as the tracking server's monitoring page reads them;
 * the last one the run lists of each kind is the latest.
 */
final class CardReports {
  // larger files are not read for a card; a drift report of a thousand columns is far below this
  static final long MAX_REPORT_BYTES = 8L << 20;

  private CardReports() {}

  /** The latest logged drift report (its JSON) and quality report on a run, each with where it was found. */
  record Logged(Optional<Found> drift, Optional<Found> quality) {}

  /** One logged report: its run, its artifact path and its parsed body. */
  record Found(String runId, String path, JsonNode body) {}

  static Logged logged(Tracker tracker, RunRecord run) {
    Found drift = null;
    Found quality = null;
    for (ArtifactInfo a : run.artifacts()) {
      String name = a.path().toLowerCase(Locale.ROOT);
      boolean named = name.contains("drift") || name.contains("quality") || name.contains("check");
      if (!named || !name.endsWith(".json") || a.size() > MAX_REPORT_BYTES) {
        continue;
      }
      JsonNode body;
      try {
        body = CanonicalJson.parse(tracker.readArtifact(run.runId(), a.path()));
      } catch (InvalidInputException notJson) {
        // a file named like a report that is not one is not a report
        continue;
      }
      if (isDrift(body)) {
        drift = new Found(run.runId(), a.path(), body);
      } else if (isQuality(body)) {
        quality = new Found(run.runId(), a.path(), body);
      }
    }
    return new Logged(Optional.ofNullable(drift), Optional.ofNullable(quality));
  }

  static boolean isDrift(JsonNode body) {
    return body.path("columns").isArray() && body.path("datasetDrift").isBoolean();
  }

  static boolean isQuality(JsonNode body) {
    return body.path("passed").isBoolean() && body.path("conditions").isArray() && body.path("drift").isObject();
  }

  /**
   * The card's drift section: the outcome, the summary, and each drifted column with its test,
   * statistic, p-value, threshold and (when the report knows the importance) its share of it.
   */
  static ObjectNode drift(JsonNode report, String summary) {
    ObjectNode d = CanonicalJson.object();
    int tested = 0;
    ArrayNode drifted = CanonicalJson.object().putArray("columns");
    for (JsonNode c : report.path("columns")) {
      tested += c.has("note") ? 0 : 1;
      if (c.path("drifted").asBoolean()) {
        ObjectNode o = drifted.addObject().put("column", c.path("column").asText()).put("test", c.path("test").asText());
        copy(c, o, "statistic", "pValue", "threshold", "importanceShare");
      }
    }
    d.put("summary", summary != null ? summary : summary(report, tested, drifted.size()));
    d.put("datasetDrift", report.path("datasetDrift").asBoolean());
    copy(report, d, "method", "driftedShare", "driftedImportanceShare", "referenceRows", "currentRows");
    d.put("testedColumns", tested);
    d.set("driftedColumns", drifted);
    return d;
  }

  /** The card's quality section: the outcome, each condition with its value, bound, actual and outcome. */
  static ObjectNode quality(JsonNode report) {
    ObjectNode q = CanonicalJson.object();
    q.put("passed", report.path("passed").asBoolean());
    ArrayNode checks = q.putArray("checks");
    ArrayNode failures = q.putArray("failures");
    for (JsonNode c : report.path("conditions")) {
      ObjectNode o = checks.addObject().put("value", c.path("value").asText())
          .put("condition", c.path("condition").asText()).put("passed", c.path("passed").asBoolean())
          .put("message", c.path("message").asText());
      copy(c, o, "actual");
      if (!c.path("passed").asBoolean()) {
        failures.add(c.path("message").asText());
      }
    }
    return q;
  }

  static void source(ObjectNode section, Found found) {
    section.putObject("source").put("runId", found.runId()).put("path", found.path());
  }

  private static String summary(JsonNode report, int tested, int drifted) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s: %d of %d columns drifted",
        report.path("datasetDrift").asBoolean() ? "Dataset drift" : "No dataset drift", drifted, tested));
    if (report.path("driftedImportanceShare").isNumber()) {
      s.append(String.format(Locale.ROOT, "; they carry %.0f%% of the importance",
          100 * report.path("driftedImportanceShare").asDouble()));
    }
    return s.toString();
  }

  // a report writes NaN and the infinities as null; the card keeps them so
  private static void copy(JsonNode from, ObjectNode to, String... fields) {
    for (String f : fields) {
      if (from.has(f)) {
        to.set(f, from.get(f));
      }
    }
  }
}
