package dev.mlops.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.internal.ExperimentRow;
import java.util.Map;

/**
 * Our records as MLflow's REST messages ({@code mlflow/protos/service.proto} and
 * {@code model_registry.proto}): field names in snake case, int64 as JSON numbers, enums by
 * name, maps as lists of {@code {"key", "value"}}, as MLflow's own server writes them.
 */
public final class Wire {
  /** The tag MLflow puts the data set context in. */
  public static final String CONTEXT_TAG = "mlflow.data.context";
  /** The tag MLflow names the user in. */
  public static final String USER_TAG = "mlflow.user";
  /** The tag MLflow names the enclosing run in. */
  public static final String PARENT_TAG = "mlflow.parentRunId";
  /** The scheme of the artifact URIs this server hands out, resolved by clients against its proxy. */
  public static final String ARTIFACT_SCHEME = "mlflow-artifacts:/";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Wire() {}

  /** A new empty message. */
  public static ObjectNode object() {
    return NODES.objectNode();
  }

  /** An Experiment message. */
  public static ObjectNode experiment(ExperimentRow row) {
    ObjectNode e = object();
    e.put("experiment_id", row.id());
    e.put("name", row.name());
    e.put("artifact_location", ARTIFACT_SCHEME + row.id());
    e.put("lifecycle_stage", row.deleted() ? "deleted" : "active");
    e.put("last_update_time", row.lastUpdateTime());
    e.put("creation_time", row.creationTime());
    e.set("tags", keyValues(row.tags()));
    return e;
  }

  /** A Run message: info, data and inputs. */
  public static ObjectNode run(RunRecord r) {
    ObjectNode run = object();
    run.set("info", runInfo(r));
    ObjectNode data = run.putObject("data");
    ArrayNode metrics = data.putArray("metrics");
    r.metrics().forEach((key, m) -> metrics.add(metric(key, m)));
    data.set("params", keyValues(r.params()));
    Map<String, String> tags = r.tags();
    if (r.parentRunIdOrNull() != null && !tags.containsKey(PARENT_TAG)) {
      // MLflow names a nested run's parent in a tag; the UI and clients nest runs by it
      tags = new java.util.TreeMap<>(tags);
      tags.put(PARENT_TAG, r.parentRunIdOrNull());
    }
    data.set("tags", keyValues(tags));
    ArrayNode inputs = run.putObject("inputs").putArray("dataset_inputs");
    for (DatasetInput d : r.datasets()) {
      inputs.add(datasetInput(d));
    }
    return run;
  }

  /** A RunInfo message. */
  public static ObjectNode runInfo(RunRecord r) {
    ObjectNode info = object();
    info.put("run_id", r.runId());
    info.put("run_uuid", r.runId());
    info.put("run_name", r.name());
    info.put("experiment_id", r.experimentId());
    info.put("user_id", r.tags().getOrDefault(USER_TAG, r.tags().getOrDefault("mlops.user", "")));
    info.put("status", r.status().name());
    info.put("start_time", r.startTime());
    if (r.endTimeOrNull() != null) {
      info.put("end_time", r.endTimeOrNull());
    }
    info.put("artifact_uri", artifactUri(r.experimentId(), r.runId()));
    info.put("lifecycle_stage", r.deleted() ? "deleted" : "active");
    return info;
  }

  /** The artifact URI of a run, which MLflow clients resolve against this server's proxy. */
  public static String artifactUri(String experimentId, String runId) {
    return ARTIFACT_SCHEME + experimentId + "/" + runId;
  }

  /** A Metric message. */
  public static ObjectNode metric(String key, Metric m) {
    ObjectNode o = object();
    o.put("key", key);
    o.put("value", m.value());
    o.put("timestamp", m.timestamp());
    o.put("step", m.step());
    return o;
  }

  /** A DatasetInput message. */
  public static ObjectNode datasetInput(DatasetInput d) {
    ObjectNode o = object();
    ArrayNode tags = o.putArray("tags");
    if (d.context() != null) {
      tags.add(keyValue(CONTEXT_TAG, d.context()));
    }
    ObjectNode dataset = o.putObject("dataset");
    dataset.put("name", d.name());
    dataset.put("digest", d.digest().toString());
    dataset.put("source_type", "mlops");
    dataset.put("source", "{}");
    if (d.schema() != null) {
      dataset.put("schema", d.schema().toJson());
    }
    return o;
  }

  /** A RegisteredModel message. */
  public static ObjectNode registeredModel(RegisteredModel m, ModelVersion latestOrNull) {
    ObjectNode o = object();
    o.put("name", m.name());
    o.put("creation_timestamp", m.creationTime());
    o.put("last_updated_timestamp", m.lastUpdateTime());
    o.put("description", m.description());
    ArrayNode latest = o.putArray("latest_versions");
    if (latestOrNull != null) {
      latest.add(modelVersion(latestOrNull));
    }
    o.set("tags", keyValues(m.tags()));
    ArrayNode aliases = o.putArray("aliases");
    m.aliases().forEach((alias, version) -> {
      ObjectNode a = aliases.addObject();
      a.put("alias", alias);
      a.put("version", Integer.toString(version));
    });
    return o;
  }

  /** A ModelVersion message. */
  public static ObjectNode modelVersion(ModelVersion v) {
    ObjectNode o = object();
    o.put("name", v.modelName());
    o.put("version", Integer.toString(v.version()));
    o.put("creation_timestamp", v.creationTime());
    o.put("last_updated_timestamp", v.lastUpdateTime());
    o.put("current_stage", "None");
    o.put("description", v.description());
    o.put("source", v.uri());
    o.put("run_id", v.runIdOrNull() == null ? "" : v.runIdOrNull());
    o.put("status", "READY");
    o.set("tags", keyValues(v.tags()));
    ArrayNode aliases = o.putArray("aliases");
    v.aliases().forEach(aliases::add);
    return o;
  }

  /** A list of {@code {"key", "value"}} messages, in key order. */
  public static ArrayNode keyValues(Map<String, String> map) {
    ArrayNode list = NODES.arrayNode();
    map.forEach((k, v) -> list.add(keyValue(k, v)));
    return list;
  }

  private static ObjectNode keyValue(String key, String value) {
    ObjectNode o = object();
    o.put("key", key);
    o.put("value", value);
    return o;
  }
}
