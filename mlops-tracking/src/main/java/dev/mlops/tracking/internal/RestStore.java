package dev.mlops.tracking.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.ConflictException;
import dev.mlops.core.Digest;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import dev.mlops.tracking.ArtifactInfo;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.RunPage;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking store SPI over a tracking server's REST API (MLflow's 2.0 paths), for
 * {@code Tracker.open("http://host:5000")}. Metrics leave as log-batch requests of at most
 * {@value #MAX_BATCH_METRICS} points, each with a batch id the server remembers, so that a batch
 * retried after a lost response is written once. Artifacts are staged in a local folder and
 * uploaded through the server's artifact proxy, and the digest the server recorded is checked
 * against the local one.
 */
public final class RestStore implements TrackingStore {
  private static final Logger LOG = LoggerFactory.getLogger(RestStore.class);
  /** MLflow's log-batch limits (service.proto, rpc logBatch). */
  public static final int MAX_BATCH_METRICS = 1000;
  /** The most params or tags per log-batch. */
  public static final int MAX_BATCH_PARAMS = 100;
  /** The most metrics, params and tags together in one log-batch. */
  public static final int MAX_BATCH_TOTAL = 1000;
  /** The header naming a log-batch, so that the server writes a retried batch once. */
  public static final String BATCH_ID_HEADER = "Mlops-Batch-Id";
  /** The header choosing a new run's id, so that a retried create-run finds the run it made. */
  public static final String RUN_ID_HEADER = "Mlops-Run-Id";
  /** The artifacts/list parameter asking for every file under the run with its SHA-256. */
  public static final String DIGESTS_PARAMETER = "mlops_digests";
  /**
   * The header with which this library's client asks runs/get and runs/search to add each run's
   * artifacts with their digests ({@value #ARTIFACTS_FIELD}), so that a search costs one call.
   */
  public static final String ARTIFACTS_HEADER = "Mlops-Artifacts";
  /** The field of a run message holding its artifacts, when {@value #ARTIFACTS_HEADER} asked for them. */
  public static final String ARTIFACTS_FIELD = "mlops_artifacts";
  /** SearchExperiments.max_results' limit (service.proto). */
  public static final int MAX_EXPERIMENTS_PAGE = 50_000;
  /**
   * The header with which this library's client asks registry endpoints to add to each version
   * what MLflow's messages lack and the registry verifies: its package digest, signature, location
   * and lineage ({@code mlops_*} fields), and to each model its version counter.
   */
  public static final String REGISTRY_HEADER = "Mlops-Registry";
  /**
   * The header with which the server tells this library's client what kind of failure an MLflow
   * error body stands for: {@value #CONFLICT} (a write-once value or a taken name; MLflow answers
   * it as INVALID_PARAMETER_VALUE) or {@value #STORE_FAILED} (the server's store failed after its
   * own retries, so sending the call again at once would fail the same way).
   */
  public static final String ERROR_KIND_HEADER = "Mlops-Error";
  /** {@value #ERROR_KIND_HEADER} of a conflict. */
  public static final String CONFLICT = "conflict";
  /** {@value #ERROR_KIND_HEADER} of a store failure. */
  public static final String STORE_FAILED = "store-failed";
  /** The server path under which a run's package is uploaded and recorded in one call: {@code <run id>/<name>}. */
  public static final String LOGGED_MODELS_PATH = "/api/2.0/mlops/logged-models/";
  /** The server path under which packages are registered from a file and downloaded by version. */
  public static final String PACKAGES_PATH = "/api/2.0/mlops/packages/";
  /** The server path of the artifact proxy, MLflow's: {@code <experiment id>/<run id>/<path>} follows. */
  public static final String ARTIFACTS_PROXY_PATH = "/api/2.0/mlflow-artifacts/artifacts/";
  /** The server's endpoint that takes a named lock as a lease (not MLflow's; this library's server has it). */
  public static final String LOCK_ACQUIRE = "mlops/locks/acquire";
  /** The endpoint that renews a lock's lease. */
  public static final String LOCK_RENEW = "mlops/locks/renew";
  /** The endpoint that releases a lock. */
  public static final String LOCK_RELEASE = "mlops/locks/release";
  /** How long the server holds a lock unless its holder renews it: long enough to ride out a slow network, short for a dead holder. */
  public static final java.time.Duration LOCK_LEASE = java.time.Duration.ofSeconds(30);
  /** The shortest lease the server grants. */
  public static final java.time.Duration MIN_LOCK_LEASE = java.time.Duration.ofSeconds(1);
  /** The longest lease the server grants. */
  public static final java.time.Duration MAX_LOCK_LEASE = java.time.Duration.ofMinutes(10);
  /** The environment variable holding a bearer token for the server. */
  public static final String TOKEN_VARIABLE = "MLOPS_TRACKING_TOKEN";

  // MLflow names a nested run's parent in this tag
  private static final String PARENT_TAG = "mlflow.parentRunId";

  private final RestClient client;
  private final String description;
  private final ArtifactRepository staging;

  private RestStore(RestClient client, String description, ArtifactRepository staging) {
    this.client = client;
    this.description = description;
    this.staging = staging;
  }

  /** Whether a tracking URI names a server. */
  public static boolean isServer(String uri) {
    return uri.startsWith("http://") || uri.startsWith("https://");
  }

  /**
   * A store over the server at this URI, with credentials from {@value #TOKEN_VARIABLE}, MLflow's
   * {@code MLFLOW_TRACKING_TOKEN}, or {@code MLFLOW_TRACKING_USERNAME} and {@code MLFLOW_TRACKING_PASSWORD}.
   */
  public static RestStore open(String uri, Map<String, String> env, ArtifactRepository staging) {
    URI parsed;
    try {
      parsed = URI.create(uri.endsWith("/") ? uri : uri + "/");
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("'" + redact(uri) + "' is not a server URI; give one such as"
          + " http://tracking.internal:5000");
    }
    if (parsed.getRawQuery() != null && parsed.getRawQuery().contains(TrackingUri.ARTIFACTS_PARAMETER + "=")) {
      throw new InvalidInputException("'" + redact(uri) + "' names an artifact folder, but a tracking server keeps"
          + " the artifacts in its own folder; this process's folder only caches them: choose it with"
          + " Tracker.builder(uri).artifacts(folder) and give the server URI without a query");
    }
    if (parsed.getHost() == null || parsed.getRawUserInfo() != null || parsed.getRawQuery() != null) {
      throw new InvalidInputException("'" + redact(uri) + "' must be http(s)://host:port with no user, password or"
          + " query; give credentials in " + TOKEN_VARIABLE);
    }
    return new RestStore(new RestClient(parsed, authorization(env)), "tracking server " + parsed, staging);
  }

  /** The URI without anything that could be a credential. */
  public static String redact(String uri) {
    return uri.replaceAll("//[^/@]*@", "//***@").replaceAll("\\?.*", "");
  }

  private static String authorization(Map<String, String> env) {
    String token = first(env, TOKEN_VARIABLE, "MLFLOW_TRACKING_TOKEN");
    if (token != null) {
      return "Bearer " + token;
    }
    String user = first(env, "MLFLOW_TRACKING_USERNAME");
    String password = first(env, "MLFLOW_TRACKING_PASSWORD");
    if (user != null && password != null) {
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  private static String first(Map<String, String> env, String... names) {
    for (String name : names) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- experiments

  @Override
  public String artifactLocation(String proposed) {
    // the server owns the artifact location; the proposal is this process's staging folder
    return proposed;
  }

  @Override
  public ExperimentRow experiment(String name, Map<String, String> tags, long now) {
    Optional<ExperimentRow> found = experimentByName(name);
    if (found.isEmpty()) {
      ObjectNode body = object();
      body.put("name", name);
      body.set("tags", keyValues(tags));
      try {
        client.post("experiments/create", body, Map.of());
        return experimentByName(name).orElseThrow();
      } catch (ConflictException e) {
        found = experimentByName(name);
      }
    }
    ExperimentRow row = found.orElseThrow();
    if (!tags.isEmpty()) {
      setExperimentTags(row.id(), tags, now);
      row = experimentById(row.id()).orElseThrow();
    }
    return row;
  }

  @Override
  public Optional<ExperimentRow> experimentById(String id) {
    return RestClient.unlessMissing(() -> client.get("experiments/get", Map.of("experiment_id", id)))
        .map(r -> experimentRow(r.get("experiment")));
  }

  @Override
  public Optional<ExperimentRow> experimentByName(String name) {
    return RestClient.unlessMissing(() -> client.get("experiments/get-by-name", Map.of("experiment_name", name)))
        .map(r -> experimentRow(r.get("experiment")));
  }

  @Override
  public void setExperimentTags(String experimentId, Map<String, String> tags, long now) {
    tags.forEach((k, v) -> {
      ObjectNode body = object();
      body.put("experiment_id", experimentId);
      body.put("key", k);
      body.put("value", v);
      client.post("experiments/set-experiment-tag", body, Map.of());
    });
  }

  @Override
  public void setExperimentDeleted(String experimentId, boolean deleted, long now) {
    ObjectNode body = object();
    body.put("experiment_id", experimentId);
    client.post(deleted ? "experiments/delete" : "experiments/restore", body, Map.of());
  }

  @Override
  public void renameExperiment(String experimentId, String newName, long now) {
    ObjectNode body = object();
    body.put("experiment_id", experimentId);
    body.put("new_name", newName);
    client.post("experiments/update", body, Map.of());
  }

  @Override
  public List<ExperimentRow> experiments() {
    List<ExperimentRow> out = new ArrayList<>();
    String token = null;
    do {
      ObjectNode body = object();
      body.put("view_type", "ALL");
      body.put("max_results", MAX_EXPERIMENTS_PAGE);
      if (token != null) {
        body.put("page_token", token);
      }
      JsonNode answer = client.post("experiments/search", body, Map.of());
      for (JsonNode e : answer.path("experiments")) {
        out.add(experimentRow(e));
      }
      token = answer.hasNonNull("next_page_token") ? answer.get("next_page_token").asText() : null;
    } while (token != null);
    return out;
  }

  // ---------------------------------------------------------------- runs

  @Override
  public void createRun(NewRun run) {
    ObjectNode body = object();
    body.put("experiment_id", run.experimentId());
    body.put("run_name", run.name());
    body.put("start_time", run.startTime());
    Map<String, String> tags = new LinkedHashMap<>(run.tags());
    if (run.parentRunId() != null) {
      tags.put(PARENT_TAG, run.parentRunId());
    }
    body.set("tags", keyValues(tags));
    client.post("runs/create", body, Map.of(RUN_ID_HEADER, run.runId()));
    for (DatasetInput d : run.datasets()) {
      logDataset(run.runId(), d);
    }
  }

  @Override
  public Optional<RunRecord> run(String runId) {
    return RestClient.unlessMissing(() -> client.get("runs/get", Map.of("run_id", runId), WITH_ARTIFACTS))
        .map(r -> runRecord(r.get("run")));
  }

  private static final Map<String, String> WITH_ARTIFACTS = Map.of(ARTIFACTS_HEADER, "true");

  private List<ArtifactInfo> artifacts(String runId) {
    return artifactList(client.get("artifacts/list", Map.of("run_id", runId, DIGESTS_PARAMETER, "true"))
        .path("files"));
  }

  private static List<ArtifactInfo> artifactList(JsonNode files) {
    List<ArtifactInfo> out = new ArrayList<>();
    for (JsonNode f : files) {
      if (f.has("sha256")) {
        out.add(new ArtifactInfo(f.get("path").asText(), new Digest(f.get("sha256").asText()),
            f.path("file_size").asLong()));
      }
    }
    return out;
  }

  @Override
  public void renameRun(String runId, String name) {
    ObjectNode body = object();
    body.put("run_id", runId);
    body.put("run_name", name);
    client.post("runs/update", body, Map.of());
  }

  @Override
  public void endRun(String runId, RunStatus status, long endTime) {
    ObjectNode body = object();
    body.put("run_id", runId);
    body.put("status", status.name());
    body.put("end_time", endTime);
    client.post("runs/update", body, Map.of());
  }

  @Override
  public void setRunDeleted(String runId, boolean deleted) {
    ObjectNode body = object();
    body.put("run_id", runId);
    client.post(deleted ? "runs/delete" : "runs/restore", body, Map.of());
  }

  @Override
  public void logParams(String runId, Map<String, String> params) {
    batches(runId, "params", params);
  }

  @Override
  public void setTags(String runId, Map<String, String> tags) {
    batches(runId, "tags", tags);
  }

  @Override
  public boolean deleteTag(String runId, String key) {
    RunRecord run = run(runId).orElseThrow(() -> missingRun(runId));
    if (!run.tags().containsKey(key)) {
      return false;
    }
    ObjectNode body = object();
    body.put("run_id", runId);
    body.put("key", key);
    try {
      client.post("runs/delete-tag", body, Map.of());
      return true;
    } catch (dev.mlops.core.NotFoundException e) {
      // another client removed it between the two calls
      return false;
    }
  }

  private dev.mlops.core.NotFoundException missingRun(String runId) {
    return new dev.mlops.core.NotFoundException("no run with id '" + runId + "' on " + description);
  }

  private void batches(String runId, String field, Map<String, String> entries) {
    List<Map.Entry<String, String>> list = new ArrayList<>(entries.entrySet());
    for (int from = 0; from < list.size(); from += MAX_BATCH_PARAMS) {
      ObjectNode body = object();
      body.put("run_id", runId);
      ArrayNode items = body.putArray(field);
      for (Map.Entry<String, String> e : list.subList(from, Math.min(list.size(), from + MAX_BATCH_PARAMS))) {
        items.addObject().put("key", e.getKey()).put("value", e.getValue());
      }
      sendBatch(body);
    }
  }

  @Override
  public void logMetrics(Collection<MetricPoint> points) {
    for (List<MetricPoint> batch : metricChunks(points)) {
      logBatch(batch.get(0).runId(), null, 0, Map.of(), Map.of(), batch);
    }
  }

  // The points of each run in its order, in chunks of at most MLflow's log-batch limit.
  private static List<List<MetricPoint>> metricChunks(Collection<MetricPoint> points) {
    Map<String, List<MetricPoint>> byRun = new LinkedHashMap<>();
    for (MetricPoint p : points) {
      byRun.computeIfAbsent(p.runId(), k -> new ArrayList<>()).add(p);
    }
    List<List<MetricPoint>> batches = new ArrayList<>();
    for (List<MetricPoint> list : byRun.values()) {
      for (int from = 0; from < list.size(); from += MAX_BATCH_METRICS) {
        batches.add(list.subList(from, Math.min(list.size(), from + MAX_BATCH_METRICS)));
      }
    }
    return batches;
  }

  // Each batch carries an id of its own, the same on every retry, so the server writes it once.
  private void sendBatch(ObjectNode body) {
    client.post("runs/log-batch", body, Map.of(BATCH_ID_HEADER, UUID.randomUUID().toString()));
  }

  // A body already written, under the given batch key or a new random one.
  private void sendBatch(byte[] body, String batchKeyOrNull) {
    client.postJson("runs/log-batch", body, Map.of(BATCH_ID_HEADER, batchKeyOrNull != null ? batchKeyOrNull
        : UUID.randomUUID().toString()));
  }

  /** One log-batch request, within MLflow's limits; the key is sent as its batch id. */
  @Override
  public boolean logBatch(String runId, String batchKeyOrNull, long now, Map<String, String> params,
      Map<String, String> tags, List<MetricPoint> points) {
    checkBatchLimits(points.size(), params.size(), tags.size());
    sendBatch(batchBody(runId, params, tags, points), batchKeyOrNull);
    return true;
  }

  /**
   * Refuses a log-batch beyond MLflow's limits, whatever the store, so that a batch one store
   * takes is not refused by another.
   *
   * @throws InvalidInputException naming the counts and the limits
   */
  public static void checkBatchLimits(int metrics, int params, int tags) {
    if (metrics > MAX_BATCH_METRICS || params > MAX_BATCH_PARAMS || tags > MAX_BATCH_PARAMS
        || metrics + params + tags > MAX_BATCH_TOTAL) {
      throw new InvalidInputException("a log-batch holds at most " + MAX_BATCH_METRICS + " metrics, "
          + MAX_BATCH_PARAMS + " params and " + MAX_BATCH_PARAMS + " tags, " + MAX_BATCH_TOTAL + " in all; got "
          + metrics + ", " + params + " and " + tags + ". Split it up");
    }
  }

  @Override
  public int forgetBatches(long before, int keep) {
    // the server keeps and forgets its own batch keys; a client holds none
    return 0;
  }

  /**
   * An appender that writes the next batch's body while the server writes the one before: one
   * batch in flight at a time, so the server receives them in order, and {@code append} returns
   * once the server has committed all of them.
   */
  @Override
  public MetricAppender metricAppender() {
    return new PipelinedAppender();
  }

  private final class PipelinedAppender implements MetricAppender {
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mlops-batch-sender");
      t.setDaemon(true);
      return t;
    });

    @Override
    public void append(List<MetricPoint> points) {
      CompletableFuture<Void> inFlight = null;
      for (List<MetricPoint> batch : metricChunks(points)) {
        byte[] body = batchBody(batch.get(0).runId(), Map.of(), Map.of(), batch);
        if (inFlight != null) {
          await(inFlight);
        }
        inFlight = CompletableFuture.runAsync(() -> sendBatch(body, null), sender);
      }
      if (inFlight != null) {
        await(inFlight);
      }
    }

    @Override
    public void close() {
      sender.shutdown();
    }
  }

  // A failed batch fails the append with the sender's own exception, before any later batch is sent.
  private static void await(CompletableFuture<Void> batch) {
    try {
      batch.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public void logDataset(String runId, DatasetInput input) {
    ObjectNode body = object();
    body.put("run_id", runId);
    ObjectNode entry = body.putArray("datasets").addObject();
    if (input.context() != null) {
      entry.putArray("tags").addObject().put("key", "mlflow.data.context").put("value", input.context());
    }
    ObjectNode dataset = entry.putObject("dataset");
    dataset.put("name", input.name());
    dataset.put("digest", input.digest().toString());
    dataset.put("source_type", "mlops");
    dataset.put("source", "{}");
    if (input.schema() != null) {
      dataset.put("schema", input.schema().toJson());
    }
    client.post("runs/log-inputs", body, Map.of());
  }

  /**
   * Uploads the artifact the tracker staged locally through the server's proxy, and checks that
   * the server recorded the digest this process computed.
   *
   * @throws IntegrityException if the server recorded another digest
   */
  @Override
  public void recordArtifact(String runId, ArtifactInfo artifact) {
    RunRecord run = run(runId).orElseThrow(() -> missingRun(runId));
    Path file = staging.locate(run.experimentId(), runId, artifact.path());
    client.putArtifact(run.experimentId() + "/" + runId + "/" + artifact.path(), file);
    ArtifactInfo recorded = artifacts(runId).stream().filter(a -> a.path().equals(artifact.path())).findFirst()
        .orElseThrow(() -> new IntegrityException("the server did not record artifact '" + artifact.path()
            + "' of run '" + runId + "' after accepting it"));
    if (!recorded.sha256().equals(artifact.sha256())) {
      throw new IntegrityException("the server recorded " + recorded.sha256() + " for artifact '" + artifact.path()
          + "' of run '" + runId + "', but this process sent " + artifact.sha256() + "; log it again");
    }
  }

  /**
   * Downloads an artifact this process's folder lacks (another process logged it, or this
   * folder is new) through the server's proxy; the caller then verifies it against the recorded
   * digest. A copy that is present is left alone, so a changed copy is refused, not replaced.
   *
   * @throws dev.mlops.core.NotFoundException naming the server and the path when the server has no file for it
   */
  @Override
  public void fetchArtifact(String experimentId, String runId, ArtifactInfo artifact) {
    Path file = staging.locate(experimentId, runId, artifact.path());
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      try {
        client.download(ARTIFACTS_PROXY_PATH + ArtifactRepository.relativeLocation(experimentId, runId,
            artifact.path()), file);
      } catch (dev.mlops.core.NotFoundException e) {
        throw missingOnServer(client, "artifact '" + artifact.path() + "' of run '" + runId + "'", e);
      }
    }
  }

  /** The error for a file the server recorded but cannot send: names the server, what is missing and the fix. */
  static dev.mlops.core.NotFoundException missingOnServer(RestClient client, String what,
      dev.mlops.core.NotFoundException answer) {
    return new dev.mlops.core.NotFoundException(what + " is not available from the tracking server " + client.base()
        + " (it answered: " + answer.getMessage() + "); ask its administrator to restore the server's artifact"
        + " folder, or log it again", answer);
  }

  @Override
  public List<ArtifactInfo> deleteArtifacts(String runId, String path) {
    RunRecord run = run(runId).orElseThrow(() -> missingRun(runId));
    List<ArtifactInfo> gone = run.artifacts().stream()
        .filter(a -> a.path().equals(path) || a.path().startsWith(path + "/")).toList();
    if (!gone.isEmpty()) {
      client.deleteArtifact(run.experimentId() + "/" + runId + "/" + path);
    }
    return gone;
  }

  @Override
  public List<Metric> metricHistory(String runId, String key) {
    List<Metric> out = new ArrayList<>();
    String token = null;
    do {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("run_id", runId);
      query.put("metric_key", key);
      query.put("max_results", "25000");
      if (token != null) {
        query.put("page_token", token);
      }
      JsonNode answer = client.get("metrics/get-history", query);
      for (JsonNode m : answer.path("metrics")) {
        out.add(new Metric(number(m.get("value")), m.path("timestamp").asLong(), m.path("step").asLong()));
      }
      token = answer.hasNonNull("next_page_token") ? answer.get("next_page_token").asText() : null;
    } while (token != null);
    return out;
  }

  @Override
  public RunPage search(SearchQuery query) {
    ObjectNode body = object();
    ArrayNode ids = body.putArray("experiment_ids");
    query.experimentIds().forEach(ids::add);
    body.put("filter", filterText(query.filter()));
    ArrayNode order = body.putArray("order_by");
    for (OrderClause o : query.orderBy()) {
      order.add(prefix(o.entity()) + quoteKey(o.key()) + (o.ascending() ? " ASC" : " DESC"));
    }
    body.put("max_results", query.limit());
    if (query.offset() > 0) {
      body.put("page_token", PageTokens.encode(query.offset()));
    }
    body.put("run_view_type", query.includeDeleted() ? "ALL" : "ACTIVE_ONLY");
    JsonNode answer = client.post("runs/search", body, WITH_ARTIFACTS);
    List<RunRecord> runs = new ArrayList<>();
    for (JsonNode run : answer.path("runs")) {
      runs.add(runRecord(run));
    }
    return new RunPage(runs, answer.hasNonNull("next_page_token") ? answer.get("next_page_token").asText() : null);
  }

  // The parsed clauses written back in the grammar they were parsed from.
  static String filterText(List<FilterClause> clauses) {
    List<String> parts = new ArrayList<>();
    for (FilterClause c : clauses) {
      String op = switch (c.op()) {
        case NE -> "!=";
        case NOT_IN -> "NOT IN";
        default -> c.op().sql();
      };
      String value;
      if (c.value() instanceof Double d) {
        value = BigDecimal.valueOf(d).toPlainString();
      } else if (c.value() instanceof List<?> list) {
        List<String> quoted = new ArrayList<>();
        list.forEach(v -> quoted.add(quote(String.valueOf(v))));
        value = "(" + String.join(", ", quoted) + ")";
      } else {
        value = quote(String.valueOf(c.value()));
      }
      parts.add(prefix(c.entity()) + quoteKey(c.key()) + " " + op + " " + value);
    }
    return String.join(" and ", parts);
  }

  private static String prefix(Entity entity) {
    return switch (entity) {
      case METRIC -> "metrics.";
      case PARAM -> "params.";
      case TAG -> "tags.";
      case ATTRIBUTE -> "attributes.";
    };
  }

  private static String quoteKey(String key) {
    return "`" + key.replace("`", "``") + "`";
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  @Override
  public RegistryStore registry(Path artifactRoot) {
    return new RestRegistryStore(this, client, artifactRoot);
  }

  @Override
  public String describe() {
    return description;
  }

  /**
   * Takes the lock as a lease the server holds with its own store's lock, renewed on a daemon
   * thread every third of {@link #LOCK_LEASE} until the lock is closed; if this process dies the
   * server releases it when the lease runs out.
   *
   * @throws IllegalStateException if the server has no lock endpoint (MLflow's, or an older one)
   */
  @Override
  public Optional<StoreLock> tryLock(String name) {
    JsonNode answer;
    try {
      answer = client.post(LOCK_ACQUIRE, object().put("name", name).put("lease_ms", LOCK_LEASE.toMillis()), Map.of());
    } catch (dev.mlops.core.NotFoundException e) {
      throw new IllegalStateException(description + " has no lock endpoint (" + LOCK_ACQUIRE + "), so it cannot hold"
          + " lock '" + name + "'; run this library's tracking server, or use a SQLite or PostgreSQL store", e);
    }
    if (!answer.path("acquired").asBoolean(false)) {
      return Optional.empty();
    }
    String token = answer.path("token").asText();
    java.util.concurrent.ScheduledExecutorService renewer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "mlops-lock-lease");
          t.setDaemon(true);
          return t;
        });
    long every = LOCK_LEASE.toMillis() / 3;
    renewer.scheduleWithFixedDelay(() -> {
      try {
        client.post(LOCK_RENEW, object().put("token", token).put("lease_ms", LOCK_LEASE.toMillis()), Map.of());
      } catch (RuntimeException e) {
        LOG.warn("cannot renew the lease of lock '{}' on {}: {}", name, description,
            e.getMessage());
      }
    }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    return Optional.of(StoreLock.of(name, () -> {
      renewer.shutdownNow();
      client.post(LOCK_RELEASE, object().put("token", token), Map.of());
    }));
  }

  @Override
  public void close() {
    // the HTTP client's connections close with it when it is collected; nothing is held open
  }

  // ---------------------------------------------------------------- wire format

  // Written straight to bytes: a tree of a thousand points costs more to build than to send.
  private byte[] batchBody(String runId, Map<String, String> params, Map<String, String> tags,
      List<MetricPoint> points) {
    ByteArrayBuilder out = new ByteArrayBuilder(128 + 96 * points.size());
    try (JsonGenerator g = client.json().getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("run_id", runId);
      g.writeArrayFieldStart("metrics");
      for (MetricPoint p : points) {
        g.writeStartObject();
        g.writeStringField("key", p.key());
        g.writeNumberField("value", p.value());
        g.writeNumberField("timestamp", p.timestamp());
        g.writeNumberField("step", p.step());
        g.writeEndObject();
      }
      g.writeEndArray();
      writeKeyValues(g, "params", params);
      writeKeyValues(g, "tags", tags);
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory does not fail", e);
    }
    return out.toByteArray();
  }

  private static void writeKeyValues(JsonGenerator g, String field, Map<String, String> map) throws IOException {
    g.writeArrayFieldStart(field);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStartObject();
      g.writeStringField("key", e.getKey());
      g.writeStringField("value", e.getValue());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private ObjectNode object() {
    return client.json().createObjectNode();
  }

  private ArrayNode keyValues(Map<String, String> map) {
    ArrayNode list = client.json().createArrayNode();
    map.forEach((k, v) -> list.addObject().put("key", k).put("value", v));
    return list;
  }

  private static ExperimentRow experimentRow(JsonNode e) {
    return new ExperimentRow(e.get("experiment_id").asText(), e.get("name").asText(),
        "deleted".equals(e.path("lifecycle_stage").asText()), e.path("creation_time").asLong(),
        e.path("last_update_time").asLong(), map(e.path("tags")));
  }

  private static RunRecord runRecord(JsonNode run) {
    List<ArtifactInfo> artifacts = artifactList(run.path(ARTIFACTS_FIELD));
    JsonNode info = run.get("info");
    Map<String, String> tags = map(run.at("/data/tags"));
    String parent = tags.remove(PARENT_TAG);
    Map<String, Metric> metrics = new TreeMap<>();
    for (JsonNode m : run.at("/data/metrics")) {
      metrics.put(m.get("key").asText(), new Metric(number(m.get("value")), m.path("timestamp").asLong(),
          m.path("step").asLong()));
    }
    List<DatasetInput> datasets = new ArrayList<>();
    for (JsonNode d : run.at("/inputs/dataset_inputs")) {
      String context = null;
      for (JsonNode t : d.path("tags")) {
        if (t.path("key").asText().equals("mlflow.data.context")) {
          context = t.path("value").asText();
        }
      }
      JsonNode ds = d.get("dataset");
      Schema schema = ds.hasNonNull("schema") ? Schema.fromJson(ds.get("schema").asText()) : null;
      datasets.add(new DatasetInput(ds.get("name").asText(), Digest.parse(ds.get("digest").asText()), schema,
          context));
    }
    return new RunRecord(info.get("run_id").asText(), info.get("experiment_id").asText(),
        info.path("run_name").asText(), parent, RunStatus.valueOf(info.get("status").asText()),
        info.path("start_time").asLong(), info.hasNonNull("end_time") ? info.get("end_time").asLong() : null,
        "deleted".equals(info.path("lifecycle_stage").asText()), map(run.at("/data/params")), metrics, tags,
        datasets, artifacts);
  }

  private static Map<String, String> map(JsonNode list) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode kv : list) {
      out.put(kv.get("key").asText(), kv.path("value").asText());
    }
    return out;
  }

  private static double number(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    return switch (n.asText()) {
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "-Infinity" -> Double.NEGATIVE_INFINITY;
      default -> throw new IllegalStateException("the server sent a metric value that is not a number: " + n);
    };
  }
}
