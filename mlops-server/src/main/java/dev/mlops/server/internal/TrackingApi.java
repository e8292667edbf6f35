package dev.mlops.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.ConflictException;
import dev.mlops.core.Digest;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Names;
import dev.mlops.core.Schema;
import dev.mlops.tracking.ArtifactInfo;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.RunPage;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunSearch;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.internal.ExperimentRow;
import dev.mlops.tracking.internal.FilterClause;
import dev.mlops.tracking.internal.FilterParser;
import dev.mlops.tracking.internal.MetricPoint;
import dev.mlops.tracking.internal.NewRun;
import dev.mlops.tracking.internal.OrderClause;
import dev.mlops.tracking.internal.PageTokens;
import dev.mlops.tracking.internal.RestStore;
import dev.mlops.tracking.internal.SearchQuery;
import dev.mlops.tracking.internal.StoredText;
import dev.mlops.tracking.internal.TrackingStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MLflow's experiment, run, metric and artifact-listing endpoints ({@code mlflow/protos/service.proto})
 * over a tracking store.
 */
public final class TrackingApi {
  /** MLflow's log-batch limits (service.proto, rpc logBatch, "Request Limits"). */
  public static final int MAX_BATCH_METRICS = RestStore.MAX_BATCH_METRICS;
  /** The most params in one log-batch. */
  public static final int MAX_BATCH_PARAMS = RestStore.MAX_BATCH_PARAMS;
  /** The most tags in one log-batch. */
  public static final int MAX_BATCH_TAGS = RestStore.MAX_BATCH_PARAMS;
  /** The most metrics, params and tags together in one log-batch. */
  public static final int MAX_BATCH_TOTAL = RestStore.MAX_BATCH_TOTAL;
  /** The most points one get-history page returns. */
  public static final int MAX_HISTORY_PAGE = 25_000;
  /**
   * The header with which this library's client chooses a new run's id, so that a create-run it
   * sends again after losing the response finds the run it made instead of making another.
   */
  public static final String RUN_ID_HEADER = RestStore.RUN_ID_HEADER;
  /** The artifacts/list parameter with which this library's client asks for every file with its digest. */
  public static final String DIGESTS_PARAMETER = RestStore.DIGESTS_PARAMETER;
  /** The header naming a log-batch so that a repeat of it is not written twice. */
  public static final String BATCH_ID_HEADER = RestStore.BATCH_ID_HEADER;

  private static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
  // service.proto, SearchExperiments.max_results: "Servers may select a desired default max_results value", 1000 in MLflow
  private static final int DEFAULT_EXPERIMENTS_PAGE = 1000;
  private static final int MAX_RUN_NAME_LENGTH = 250;

  // How many log-batches arrive between two clean-ups of the batch keys the store remembers.
  private static final int BATCHES_PER_CLEAN_UP = 1000;

  private final TrackingStore store;
  private final Clock clock;
  private final Duration batchExpiry;
  private final int batchMemory;
  private final AtomicLong batchesSinceCleanUp = new AtomicLong();

  /**
   * @param store the store the endpoints read and write
   * @param clock the clock for times a request leaves out
   * @param batchExpiry how long the store remembers a written batch's id
   * @param batchMemory how many batch ids it remembers at most
   */
  public TrackingApi(TrackingStore store, Clock clock, Duration batchExpiry, int batchMemory) {
    this.store = store;
    this.clock = clock;
    this.batchExpiry = batchExpiry;
    this.batchMemory = batchMemory;
  }

  /** Forgets the batch ids older than the expiry, and beyond the memory's size; how many. */
  public int forgetOldBatches() {
    return store.forgetBatches(clock.millis() - batchExpiry.toMillis(), batchMemory);
  }

  /** Adds this API's endpoints. */
  public void register(Routes routes) {
    routes.post("experiments/create", this::createExperiment)
        .get("experiments/get", r -> experimentResponse(experiment(r.string("experiment_id"))))
        .get("experiments/get-by-name", r -> experimentResponse(experimentByName(r.string("experiment_name"))))
        .post("experiments/delete", r -> setExperimentDeleted(r, true))
        .post("experiments/restore", r -> setExperimentDeleted(r, false))
        .post("experiments/update", this::updateExperiment)
        .search("experiments/search", this::searchExperiments)
        .post("experiments/set-experiment-tag", this::setExperimentTag)
        .post("runs/create", this::createRun)
        .post("runs/update", this::updateRun)
        .get("runs/get", r -> {
          RunRecord run = run(r.string("run_id", "run_uuid"));
          ObjectNode out = runResponse(run);
          if (withArtifacts(r)) {
            addArtifacts((ObjectNode) out.get("run"), run);
          }
          return out;
        })
        .post("runs/delete", r -> setRunDeleted(r, true))
        .post("runs/restore", r -> setRunDeleted(r, false))
        .post("runs/log-metric", this::logMetric)
        .post("runs/log-parameter", this::logParam)
        .post("runs/set-tag", this::setTag)
        .post("runs/delete-tag", this::deleteTag)
        .post("runs/log-batch", this::logBatch)
        .post("runs/log-inputs", this::logInputs)
        .search("runs/search", this::searchRuns)
        .get("metrics/get-history", this::metricHistory)
        .get("artifacts/list", this::listArtifacts);
  }

  // ---------------------------------------------------------------- experiments

  private ObjectNode createExperiment(ApiRequest r) {
    String name = checkExperimentName(r.string("name"));
    if (r.optionalString("artifact_location").isPresent()) {
      throw ApiException.invalid("artifact_location", "this server stores every experiment's artifacts under its"
          + " own artifact root and serves them through its proxy; leave artifact_location out");
    }
    Map<String, String> tags = checkTags(keyValues(r.objects("tags")));
    if (store.experimentByName(name).isPresent()) {
      throw new ApiException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Experiment '" + name + "' already exists.");
    }
    ExperimentRow row = store.experiment(name, tags, clock.millis());
    ObjectNode out = Wire.object();
    out.put("experiment_id", row.id());
    return out;
  }

  private ObjectNode updateExperiment(ApiRequest r) {
    ExperimentRow row = experiment(r.string("experiment_id"));
    Optional<String> newName = r.optionalString("new_name");
    if (newName.isPresent() && !newName.get().equals(row.name())) {
      String name = checkExperimentName(newName.get());
      if (store.experimentByName(name).isPresent()) {
        throw new ApiException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Experiment '" + name + "' already exists.");
      }
      try {
        store.renameExperiment(row.id(), name, clock.millis());
      } catch (ConflictException e) {
        throw new ApiException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Experiment '" + name + "' already exists.");
      }
    }
    return Wire.object();
  }

  // service.proto, SearchExperiments: filter, order_by, max_results (default 1000), page_token, view_type.
  private ObjectNode searchExperiments(ApiRequest r) {
    SearchFilter filter = SearchFilter.parse(r.optionalString("filter").orElse(""), Set.of("name"),
        Set.of("creation_time", "last_update_time"));
    long maxResults = r.optionalLong("max_results").orElse((long) DEFAULT_EXPERIMENTS_PAGE);
    if (maxResults < 1 || maxResults > RestStore.MAX_EXPERIMENTS_PAGE) {
      throw ApiException.invalid("max_results", "must be between 1 and " + RestStore.MAX_EXPERIMENTS_PAGE + "; got "
          + maxResults);
    }
    List<String> orderTerms = r.strings("order_by");
    Comparator<ExperimentRow> order = experimentOrder(orderTerms.isEmpty()
        ? List.of("creation_time DESC", "experiment_id ASC") : orderTerms);
    String view = viewType("view_type", r.params().get("view_type"));
    List<ExperimentRow> matching = new ArrayList<>();
    for (ExperimentRow e : store.experiments()) {
      boolean shown = view.equals("ALL") || e.deleted() == view.equals("DELETED_ONLY");
      if (shown && filter.matches(field -> e.name(),
          field -> field.equals("creation_time") ? e.creationTime() : e.lastUpdateTime(), e.tags())) {
        matching.add(e);
      }
    }
    matching.sort(order);
    int offset = Math.min(matching.size(), r.optionalString("page_token").map(PageTokens::decode).orElse(0));
    int end = (int) Math.min(matching.size(), offset + maxResults);
    ObjectNode out = Wire.object();
    ArrayNode experiments = out.putArray("experiments");
    matching.subList(offset, end).forEach(e -> experiments.add(Wire.experiment(e)));
    if (end < matching.size()) {
      out.put("next_page_token", PageTokens.encode(end));
    }
    return out;
  }

  private static final Pattern EXPERIMENT_ORDER = Pattern.compile(
      "\\s*(?:attributes\\.)?(name|experiment_id|creation_time|last_update_time)(?:\\s+(?i:(asc|desc)))?\\s*",
      Pattern.CASE_INSENSITIVE);

  // Each term by its field and direction, then experiment_id ascending, as MLflow breaks ties.
  private static Comparator<ExperimentRow> experimentOrder(List<String> terms) {
    if (terms.size() > RunSearch.MAX_ORDER_TERMS) {
      throw ApiException.invalid("order_by", "at most " + RunSearch.MAX_ORDER_TERMS + " terms; got " + terms.size());
    }
    Comparator<ExperimentRow> byId = Comparator.comparingLong(e -> Long.parseLong(e.id()));
    Comparator<ExperimentRow> order = (a, b) -> 0;
    for (String term : terms) {
      Matcher m = EXPERIMENT_ORDER.matcher(term);
      if (!m.matches()) {
        throw ApiException.invalid("order_by", "expected name, experiment_id, creation_time or last_update_time,"
            + " then ASC or DESC; got '" + ApiRequest.abbreviate(term) + "'");
      }
      Comparator<ExperimentRow> one = switch (m.group(1).toLowerCase(Locale.ROOT)) {
        case "name" -> Comparator.comparing(ExperimentRow::name);
        case "experiment_id" -> byId;
        case "creation_time" -> Comparator.comparingLong(ExperimentRow::creationTime);
        default -> Comparator.comparingLong(ExperimentRow::lastUpdateTime);
      };
      order = order.thenComparing("desc".equalsIgnoreCase(m.group(2)) ? one.reversed() : one);
    }
    return order.thenComparing(byId);
  }

  private ObjectNode setExperimentDeleted(ApiRequest r, boolean deleted) {
    ExperimentRow row = experiment(r.string("experiment_id"));
    store.setExperimentDeleted(row.id(), deleted, clock.millis());
    return Wire.object();
  }

  private ObjectNode setExperimentTag(ApiRequest r) {
    ExperimentRow row = experiment(r.string("experiment_id"));
    store.setExperimentTags(row.id(), checkTags(pair(r)), clock.millis());
    return Wire.object();
  }

  private ExperimentRow experiment(String id) {
    return store.experimentById(id).orElseThrow(() -> new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
        "No Experiment with id=" + id + " exists"));
  }

  private ExperimentRow experimentByName(String name) {
    return store.experimentByName(name).orElseThrow(() -> new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
        "Could not find experiment with name '" + name + "'"));
  }

  private static ObjectNode experimentResponse(ExperimentRow row) {
    ObjectNode out = Wire.object();
    out.set("experiment", Wire.experiment(row));
    return out;
  }

  /** Checks a new experiment's name as the API does, for the UI's rename form too. */
  public static String checkExperimentName(String name) {
    StoredText.check("experiment name", name);
    if (name.isBlank() || name.length() > MAX_EXPERIMENT_NAME_LENGTH) {
      throw ApiException.invalid("name", "an experiment name must be 1 to " + MAX_EXPERIMENT_NAME_LENGTH
          + " characters, not blank; got " + name.length());
    }
    return name;
  }

  // ---------------------------------------------------------------- runs

  private ObjectNode createRun(ApiRequest r) {
    ExperimentRow experiment = experiment(r.string("experiment_id"));
    Map<String, String> tags = new LinkedHashMap<>(checkTags(keyValues(r.objects("tags"))));
    r.optionalString("user_id").ifPresent(user -> tags.putIfAbsent(Wire.USER_TAG, Names.checkTagValue(Wire.USER_TAG,
        user)));
    String chosen = r.header().apply(RUN_ID_HEADER);
    if (chosen != null && !chosen.matches("[0-9a-f]{32}")) {
      throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, RUN_ID_HEADER + " must be 32 lower-case hex digits");
    }
    if (chosen != null) {
      Optional<RunRecord> existing = store.run(chosen);
      if (existing.isPresent() && existing.get().experimentId().equals(experiment.id())) {
        return runResponse(existing.get());
      }
    }
    long start = r.optionalLong("start_time").orElseGet(clock::millis);
    String runId = chosen != null ? chosen : NewRun.newId(start);
    // a new id's last digits are random, its first ones the time
    String name = r.optionalString("run_name").or(() -> Optional.ofNullable(tags.get("mlflow.runName")))
        .orElse("run-" + runId.substring(Math.max(0, runId.length() - 8)));
    checkRunName(name);
    String parent = tags.get(Wire.PARENT_TAG);
    store.createRun(new NewRun(runId, experiment.id(), name, parent, start, tags));
    return runResponse(run(runId));
  }

  /** Checks a run's name as the API does, for the UI's rename form too. */
  public static String checkRunName(String name) {
    if (name.isBlank() || name.length() > MAX_RUN_NAME_LENGTH) {
      throw ApiException.invalid("run_name", "a run name must be 1 to " + MAX_RUN_NAME_LENGTH + " characters");
    }
    return StoredText.check("run name", name);
  }

  private ObjectNode updateRun(ApiRequest r) {
    RunRecord run = run(r.string("run_id", "run_uuid"));
    Optional<RunStatus> status = status(r.params().get("status"));
    Optional<Long> end = r.optionalLong("end_time");
    Optional<String> newName = r.optionalString("run_name");
    if (newName.isPresent() && !newName.get().equals(run.name())) {
      store.renameRun(run.runId(), checkRunName(newName.get()));
    }
    if (status.isPresent() && status.get().isTerminal()) {
      store.endRun(run.runId(), status.get(), end.orElseGet(clock::millis));
    } else if (status.isPresent() && status.get() != run.status()) {
      throw ApiException.invalid("status", "run '" + run.runId() + "' is " + run.status() + "; a run can only move"
          + " from RUNNING to FINISHED, FAILED or KILLED");
    }
    ObjectNode out = Wire.object();
    out.set("run_info", Wire.runInfo(run(run.runId())));
    return out;
  }

  private static Optional<RunStatus> status(com.fasterxml.jackson.databind.JsonNode node) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (node.isTextual()) {
      for (RunStatus s : RunStatus.values()) {
        if (s.name().equals(node.asText())) {
          return Optional.of(s);
        }
      }
    }
    if (node.isInt()) {
      // service.proto, enum RunStatus: RUNNING = 1, SCHEDULED = 2, FINISHED = 3, FAILED = 4, KILLED = 5
      switch (node.asInt()) {
        case 1: return Optional.of(RunStatus.RUNNING);
        case 3: return Optional.of(RunStatus.FINISHED);
        case 4: return Optional.of(RunStatus.FAILED);
        case 5: return Optional.of(RunStatus.KILLED);
        default: break;
      }
    }
    throw ApiException.invalid("status", "expected RUNNING, FINISHED, FAILED or KILLED; got "
        + ApiRequest.abbreviate(node.toString()));
  }

  private ObjectNode setRunDeleted(ApiRequest r, boolean deleted) {
    store.setRunDeleted(r.string("run_id"), deleted);
    return Wire.object();
  }

  private ObjectNode logMetric(ApiRequest r) {
    String runId = r.string("run_id", "run_uuid");
    MetricPoint point = point(runId, r.params(), new HashSet<>());
    store.logMetrics(List.of(point));
    return Wire.object();
  }

  private ObjectNode logParam(ApiRequest r) {
    store.logParams(r.string("run_id", "run_uuid"), checkParams(pair(r)));
    return Wire.object();
  }

  private ObjectNode setTag(ApiRequest r) {
    store.setTags(r.string("run_id", "run_uuid"), checkTags(pair(r)));
    return Wire.object();
  }

  // The key and value of a log-parameter, set-tag or set-experiment-tag call.
  private static Map<String, String> pair(ApiRequest r) {
    return Map.of(r.string("key"), ApiRequest.requiredText(r.params(), "value"));
  }

  private ObjectNode deleteTag(ApiRequest r) {
    RunRecord run = run(r.string("run_id"));
    String key = r.string("key");
    if (!store.deleteTag(run.runId(), key)) {
      throw new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "No tag with name: " + key + " in run with id "
          + run.runId());
    }
    return Wire.object();
  }

  private ObjectNode logBatch(ApiRequest r) {
    String runId = r.string("run_id");
    List<ObjectNode> metrics = r.objects("metrics");
    List<ObjectNode> params = r.objects("params");
    List<ObjectNode> tags = r.objects("tags");
    checkBatchSize("metrics", metrics.size(), MAX_BATCH_METRICS);
    checkBatchSize("params", params.size(), MAX_BATCH_PARAMS);
    checkBatchSize("tags", tags.size(), MAX_BATCH_TAGS);
    int total = metrics.size() + params.size() + tags.size();
    if (total > MAX_BATCH_TOTAL) {
      throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, "A batch logging request can contain at most "
          + MAX_BATCH_TOTAL + " metrics, params, and tags in total. Got " + total + ". Please split up the data"
          + " across multiple requests and try again.");
    }
    List<MetricPoint> points = new ArrayList<>(metrics.size());
    // a batch repeats a few keys many times; each distinct key is checked once
    Set<String> checkedKeys = new HashSet<>();
    for (ObjectNode m : metrics) {
      points.add(point(runId, m, checkedKeys));
    }
    Map<String, String> paramMap = new LinkedHashMap<>();
    for (ObjectNode p : params) {
      String key = ApiRequest.requiredText(p, "key");
      String value = ApiRequest.requiredText(p, "value");
      String before = paramMap.put(key, value);
      if (before != null && !before.equals(value)) {
        throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, "Duplicate parameter keys have been submitted: '"
            + key + "' with values '" + ApiRequest.abbreviate(before) + "' and '" + ApiRequest.abbreviate(value)
            + "'. Please ensure the request contains only one param value per param key.");
      }
    }
    Map<String, String> checkedParams = checkParams(paramMap);
    Map<String, String> checkedTags = checkTags(keyValues(tags));
    String batchId = r.header().apply(BATCH_ID_HEADER);
    if (batchId != null && (batchId.isEmpty() || batchId.length() > 128)) {
      throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, BATCH_ID_HEADER + " must be 1 to 128 characters;"
          + " send a random UUID per batch");
    }
    // a repeat of a batch already written is acknowledged as the first copy was
    store.logBatch(runId, batchId == null ? null : runId + "/" + batchId, clock.millis(), checkedParams, checkedTags,
        points);
    if (batchId != null && batchesSinceCleanUp.incrementAndGet() % BATCHES_PER_CLEAN_UP == 0) {
      forgetOldBatches();
    }
    return Wire.object();
  }

  private static void checkBatchSize(String what, int size, int limit) {
    if (size > limit) {
      throw new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, "A batch logging request can contain at most " + limit
          + " " + what + ". Got " + size + " " + what + ". Please split up " + what + " across multiple requests and"
          + " try again.");
    }
  }

  private static MetricPoint point(String runId, ObjectNode m, Set<String> checkedKeys) {
    String key = ApiRequest.requiredText(m, "key");
    if (!checkedKeys.contains(key)) {
      StoredText.checkKey("metric", key);
      checkedKeys.add(key);
    }
    double value = ApiRequest.requiredDouble(m, "value");
    long timestamp = ApiRequest.optionalLong(m, "timestamp").orElseThrow(() -> ApiException.missing("timestamp"));
    long step = ApiRequest.optionalLong(m, "step").orElse(0L);
    return new MetricPoint(runId, key, value, timestamp, step);
  }

  private ObjectNode logInputs(ApiRequest r) {
    String runId = r.string("run_id");
    List<DatasetInput> inputs = new ArrayList<>();
    for (ObjectNode input : r.objects("datasets")) {
      if (!(input.get("dataset") instanceof ObjectNode dataset)) {
        throw ApiException.missing("dataset");
      }
      String name = ApiRequest.requiredText(dataset, "name");
      StoredText.check("data set name", name);
      String digestText = ApiRequest.requiredText(dataset, "digest");
      Digest digest;
      try {
        digest = Digest.parse(digestText.startsWith(Digest.PREFIX) ? digestText : Digest.PREFIX + digestText);
      } catch (InvalidInputException e) {
        throw ApiException.invalid("digest", "this server records data sets by SHA-256; give the 64 hex digits of"
            + " the data set's SHA-256, got '" + ApiRequest.abbreviate(digestText) + "'");
      }
      Schema schema = ApiRequest.optionalString(dataset, "schema").map(TrackingApi::schema).orElse(null);
      String context = null;
      for (ObjectNode tag : ApiRequest.objects(input, "tags")) {
        if (Wire.CONTEXT_TAG.equals(ApiRequest.requiredText(tag, "key"))) {
          context = StoredText.check("data set context", ApiRequest.requiredText(tag, "value"));
        }
      }
      inputs.add(new DatasetInput(name, digest, schema, context));
    }
    run(runId);
    for (DatasetInput input : inputs) {
      store.logDataset(runId, input);
    }
    return Wire.object();
  }

  private static Schema schema(String json) {
    try {
      return Schema.fromJson(json);
    } catch (RuntimeException e) {
      throw ApiException.invalid("schema", "expected this library's column-spec JSON (Schema.toJson()); leave the"
          + " schema out when the data set has another");
    }
  }

  private ObjectNode searchRuns(ApiRequest r) {
    List<String> experimentIds = r.strings("experiment_ids");
    if (experimentIds.isEmpty()) {
      throw ApiException.missing("experiment_ids");
    }
    String filterText = r.optionalString("filter").orElse("");
    List<FilterClause> filter = FilterParser.parseFilter(filterText);
    List<String> orderTerms = r.strings("order_by");
    if (orderTerms.size() > RunSearch.MAX_ORDER_TERMS) {
      throw ApiException.invalid("order_by", "at most " + RunSearch.MAX_ORDER_TERMS + " terms; got "
          + orderTerms.size());
    }
    List<OrderClause> order = new ArrayList<>();
    for (String term : orderTerms) {
      order.add(FilterParser.parseOrder(term));
    }
    FilterParser.checkKeys(filterText, filter, order);
    long maxResults = r.optionalLong("max_results").orElse((long) RunSearch.DEFAULT_LIMIT);
    if (maxResults < 1 || maxResults > RunSearch.MAX_LIMIT) {
      throw ApiException.invalid("max_results", "must be between 1 and " + RunSearch.MAX_LIMIT + "; got "
          + maxResults);
    }
    int offset = r.optionalString("page_token").map(PageTokens::decode).orElse(0);
    String view = viewType("run_view_type", r.params().get("run_view_type"));
    if (view.equals("DELETED_ONLY")) {
      throw ApiException.invalid("run_view_type", "DELETED_ONLY is not supported by this server; use ALL and look"
          + " at each run's lifecycle_stage");
    }
    RunPage page = store.search(new SearchQuery(experimentIds, filter, order, (int) maxResults, offset,
        view.equals("ALL")));
    ObjectNode out = Wire.object();
    ArrayNode runs = out.putArray("runs");
    boolean artifacts = withArtifacts(r);
    for (RunRecord run : page.runs()) {
      ObjectNode message = Wire.run(run);
      if (artifacts) {
        addArtifacts(message, run);
      }
      runs.add(message);
    }
    page.nextPageToken().ifPresent(token -> out.put("next_page_token", token));
    return out;
  }

  private static String viewType(String field, com.fasterxml.jackson.databind.JsonNode node) {
    if (node == null || node.isNull()) {
      return "ACTIVE_ONLY";
    }
    // service.proto, enum ViewType: ACTIVE_ONLY = 1, DELETED_ONLY = 2, ALL = 3
    String text = node.isInt() ? switch (node.asInt()) {
      case 1 -> "ACTIVE_ONLY";
      case 2 -> "DELETED_ONLY";
      case 3 -> "ALL";
      default -> "";
    } : node.asText();
    if (!List.of("ACTIVE_ONLY", "DELETED_ONLY", "ALL").contains(text)) {
      throw ApiException.invalid(field, "expected ACTIVE_ONLY, DELETED_ONLY or ALL; got "
          + ApiRequest.abbreviate(node.toString()));
    }
    return text;
  }

  private ObjectNode metricHistory(ApiRequest r) {
    String runId = r.string("run_id", "run_uuid");
    String key = r.string("metric_key");
    long maxResults = r.optionalLong("max_results").orElse((long) MAX_HISTORY_PAGE);
    if (maxResults < 1 || maxResults > MAX_HISTORY_PAGE) {
      throw ApiException.invalid("max_results", "must be between 1 and " + MAX_HISTORY_PAGE + "; got " + maxResults);
    }
    int offset = r.optionalString("page_token").map(PageTokens::decode).orElse(0);
    run(runId);
    List<Metric> history = store.metricHistory(runId, key);
    int end = (int) Math.min(history.size(), (long) offset + maxResults);
    ObjectNode out = Wire.object();
    ArrayNode metrics = out.putArray("metrics");
    for (int i = Math.min(offset, history.size()); i < end; i++) {
      metrics.add(Wire.metric(key, history.get(i)));
    }
    if (end < history.size()) {
      out.put("next_page_token", PageTokens.encode(end));
    }
    return out;
  }

  private ObjectNode listArtifacts(ApiRequest r) {
    RunRecord run = run(r.string("run_id", "run_uuid"));
    String prefix = r.optionalString("path").map(p -> p.endsWith("/") ? p.substring(0, p.length() - 1) : p)
        .orElse("");
    boolean digests = r.optionalString(DIGESTS_PARAMETER).filter("true"::equals).isPresent();
    Map<String, ObjectNode> entries = new TreeMap<>();
    for (ArtifactInfo a : run.artifacts()) {
      if (!prefix.isEmpty() && !a.path().startsWith(prefix + "/")) {
        continue;
      }
      if (digests) {
        ObjectNode file = Wire.object();
        file.put("path", a.path());
        file.put("is_dir", false);
        file.put("file_size", a.size());
        file.put("sha256", a.sha256().hex());
        entries.put(a.path(), file);
        continue;
      }
      String rest = prefix.isEmpty() ? a.path() : a.path().substring(prefix.length() + 1);
      int slash = rest.indexOf('/');
      String entry = (prefix.isEmpty() ? "" : prefix + "/") + (slash < 0 ? rest : rest.substring(0, slash));
      ObjectNode file = Wire.object();
      file.put("path", entry);
      file.put("is_dir", slash >= 0);
      if (slash < 0) {
        file.put("file_size", a.size());
      }
      entries.putIfAbsent(entry, file);
    }
    ObjectNode out = Wire.object();
    out.put("root_uri", Wire.artifactUri(run.experimentId(), run.runId()));
    ArrayNode files = out.putArray("files");
    entries.values().forEach(files::add);
    return out;
  }

  // ---------------------------------------------------------------- shared

  // This library's client asks for the artifacts with a header, so that MLflow clients never see the field.
  private static boolean withArtifacts(ApiRequest r) {
    return "true".equals(r.header().apply(RestStore.ARTIFACTS_HEADER));
  }

  private static void addArtifacts(ObjectNode runMessage, RunRecord run) {
    ArrayNode files = runMessage.putArray(RestStore.ARTIFACTS_FIELD);
    for (ArtifactInfo a : run.artifacts()) {
      files.addObject().put("path", a.path()).put("is_dir", false).put("file_size", a.size())
          .put("sha256", a.sha256().hex());
    }
  }

  private RunRecord run(String runId) {
    return store.run(runId).orElseThrow(() -> new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Run with id="
        + runId + " not found"));
  }

  private static ObjectNode runResponse(RunRecord run) {
    ObjectNode out = Wire.object();
    out.set("run", Wire.run(run));
    return out;
  }

  private static Map<String, String> keyValues(List<ObjectNode> items) {
    Map<String, String> map = new LinkedHashMap<>();
    for (ObjectNode item : items) {
      map.put(ApiRequest.requiredText(item, "key"), ApiRequest.requiredText(item, "value"));
    }
    return map;
  }

  private static Map<String, String> checkTags(Map<String, String> tags) {
    return check("tag", tags, Names::checkTagValue);
  }

  private static Map<String, String> checkParams(Map<String, String> params) {
    return check("param", params, Names::checkParamValue);
  }

  private static Map<String, String> check(
      String kind, Map<String, String> entries, java.util.function.BinaryOperator<String> valueLength) {
    Map<String, String> checked = new LinkedHashMap<>();
    entries.forEach((k, v) -> {
      String key = StoredText.checkKey(kind, k);
      checked.put(key, valueLength.apply(key, StoredText.check(kind + " '" + key + "' value", v)));
    });
    return checked;
  }
}
