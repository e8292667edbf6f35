package dev.mlops.lifecycle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import dev.mlops.core.FeatureImportance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Why a pass ran and what it did, step by step: the trigger (with the alert), the data (digest,
 * rows, every check), the split, the candidates tried with their scores, the holdout scores of
 * candidate and champion side by side with the gate's thresholds and verdicts, the packaged
 * candidate's most important features (and which share of the importance sits in columns the data
 * check found drifted), earlier passes a dead process left running, and what was done (promoted,
 * on trial, rejected, rolled back), with the runs and registry versions it touched.
 * Each pass stores it in its parent run as {@code decision.json} and {@code decision.html}, and
 * in the life cycle's records folder when one is set. Immutable.
 *
 * <pre>{@code
 * LifecycleResult result = lifecycle.runOnce();
 * DecisionRecord record = result.record();
 * record.outcome();                 // PROMOTED
 * record.gate().get(0).passed();    // true
 * Files.writeString(Path.of("decision.html"), record.toHtml());
 * }</pre>
 */
public final class DecisionRecord {
  /** How many of the candidate's most important features the record lists. */
  public static final int TOP_FEATURES = 5;

  private final String lifecycle;
  private final String modelName;
  private final String experiment;
  private final String passRunId;
  private final TriggerEvent trigger;
  private final Instant started;
  private final Instant ended;
  private final String source;
  private final Digest dataDigest;
  private final int rows;
  private final List<String> columns;
  private final List<DataCheckResult> dataChecks;
  private final double holdoutShare;
  private final long splitSeed;
  private final int trainRows;
  private final int holdoutRows;
  private final List<Candidate> candidates;
  private final String metric;
  private final Map<String, Double> candidateScores;
  private final Map<String, Double> championScores;
  private final List<GateResult> gate;
  private final Integer championBefore;
  private final Integer candidateVersion;
  private final Integer championAfter;
  private final Digest packageDigest;
  private final Outcome outcome;
  private final String reason;
  private final List<StepRecord> steps;
  private final List<InterruptedRun> interrupted;
  private final FeatureImportance importance;
  private final List<String> driftedColumns;
  private final Double driftedImportanceShare;

  DecisionRecord(PassLog log) {
    this.lifecycle = log.lifecycle;
    this.modelName = log.modelName;
    this.experiment = log.experiment;
    this.passRunId = log.passRunId;
    this.trigger = log.trigger;
    this.started = log.started;
    this.ended = log.ended;
    this.source = log.source;
    this.dataDigest = log.dataDigest;
    this.rows = log.rows;
    this.columns = List.copyOf(log.columns);
    this.dataChecks = List.copyOf(log.dataChecks);
    this.holdoutShare = log.holdoutShare;
    this.splitSeed = log.splitSeed;
    this.trainRows = log.trainRows;
    this.holdoutRows = log.holdoutRows;
    this.candidates = List.copyOf(log.candidates);
    this.metric = log.metric;
    this.candidateScores = Map.copyOf(log.candidateScores);
    this.championScores = Map.copyOf(log.championScores);
    this.gate = List.copyOf(log.gate);
    this.championBefore = log.championBefore;
    this.candidateVersion = log.candidateVersion;
    this.championAfter = log.championAfter;
    this.packageDigest = log.packageDigest;
    this.outcome = log.outcome;
    this.reason = log.reason;
    this.steps = List.copyOf(log.steps);
    this.interrupted = List.copyOf(log.interrupted);
    this.importance = log.importance;
    this.driftedColumns = List.copyOf(log.driftedColumns);
    this.driftedImportanceShare = log.driftedImportanceShare;
  }

  /** The life cycle's name (its registered model's name). */
  public String lifecycle() {
    return lifecycle;
  }

  /** The parent run of the pass; every step is a nested run of it. */
  public String passRunId() {
    return passRunId;
  }

  /** The experiment the pass's runs are in. */
  public String experiment() {
    return experiment;
  }

  /** Why the pass ran. */
  public TriggerEvent trigger() {
    return trigger;
  }

  /** When the pass began, by the life cycle's clock. */
  public Instant started() {
    return started;
  }

  /** When it ended. */
  public Instant ended() {
    return ended;
  }

  /** The data's digest, when the pass read data. */
  public Optional<Digest> dataDigest() {
    return Optional.ofNullable(dataDigest);
  }

  /** The number of rows read, or -1. */
  public int rows() {
    return rows;
  }

  /** Every data check, passed or not. */
  public List<DataCheckResult> dataChecks() {
    return dataChecks;
  }

  /** The rows trained on, or -1. */
  public int trainRows() {
    return trainRows;
  }

  /** The holdout rows champion and candidate were scored on, or -1. */
  public int holdoutRows() {
    return holdoutRows;
  }

  /** The trials of model selection. */
  public List<Candidate> candidates() {
    return candidates;
  }

  /** The candidate's holdout scores. */
  public Map<String, Double> candidateScores() {
    return candidateScores;
  }

  /** The champion's holdout scores on the same rows; empty without a champion. */
  public Map<String, Double> championScores() {
    return championScores;
  }

  /** The gate's verdict, row by row (online criteria for a review). */
  public List<GateResult> gate() {
    return gate;
  }

  /** Whether every gate row passed (false when the pass stopped before the gate). */
  public boolean gatePassed() {
    return !gate.isEmpty() && gate.stream().allMatch(GateResult::passed);
  }

  /** The champion's version when the pass began. */
  public OptionalInt championBefore() {
    return championBefore == null ? OptionalInt.empty() : OptionalInt.of(championBefore);
  }

  /** The version the candidate was registered as. */
  public OptionalInt candidateVersion() {
    return candidateVersion == null ? OptionalInt.empty() : OptionalInt.of(candidateVersion);
  }

  /** The champion's version when the pass ended. */
  public OptionalInt championAfter() {
    return championAfter == null ? OptionalInt.empty() : OptionalInt.of(championAfter);
  }

  /** What was done. */
  public Outcome outcome() {
    return outcome;
  }

  /** Why, in one sentence. */
  public String reason() {
    return reason;
  }

  /** The steps, in order. */
  public List<StepRecord> steps() {
    return steps;
  }

  /**
   * Earlier passes and reviews of this life cycle that a dying process left RUNNING, which this
   * pass found and ended KILLED before it began its steps; empty as a rule.
   */
  public List<InterruptedRun> interrupted() {
    return interrupted;
  }

  /**
   * The packaged candidate's global importance (permutation importance on holdout rows), when the
   * pass packaged one.
   */
  public Optional<FeatureImportance> candidateImportance() {
    return Optional.ofNullable(importance);
  }

  /** The candidate's {@value #TOP_FEATURES} most important features, most important first; empty without a package. */
  public List<FeatureImportance.Feature> topFeatures() {
    return importance == null ? List.of()
        : importance.features().subList(0, Math.min(TOP_FEATURES, importance.features().size()));
  }

  /** The columns the data check found drifted against the champion's reference; empty when none or unchecked. */
  public List<String> driftedColumns() {
    return driftedColumns;
  }

  /**
   * The share of the champion's importance that sits in the drifted columns, as the data check's
   * drift report weighed them: how much of the model in production the drift touches. Empty when
   * the drift check did not run or the champion's package carries no importance.
   */
  public OptionalDouble driftedImportanceShare() {
    return driftedImportanceShare == null ? OptionalDouble.empty() : OptionalDouble.of(driftedImportanceShare);
  }

  /** The share of the candidate's importance in the drifted columns; empty when nothing drifted or nothing was packaged. */
  public OptionalDouble candidateDriftedImportanceShare() {
    return importance == null || driftedColumns.isEmpty() ? OptionalDouble.empty()
        : OptionalDouble.of(importance.share(driftedColumns));
  }

  /** The record as canonical JSON (sorted keys). */
  public String toJson() {
    ObjectNode o = CanonicalJson.object();
    o.put("format", 1);
    o.put("lifecycle", lifecycle);
    o.put("model", modelName);
    o.put("experiment", experiment);
    o.put("pass_run_id", passRunId);
    ObjectNode t = o.putObject("trigger");
    t.put("kind", trigger.kind().name());
    t.put("detail", trigger.detail());
    t.put("time", trigger.time().toString());
    o.put("started", started.toString());
    o.put("ended", ended == null ? null : ended.toString());
    ArrayNode stale = o.putArray("interrupted");
    for (InterruptedRun r : interrupted) {
      ObjectNode n = stale.addObject();
      n.put("run_id", r.runId());
      n.put("name", r.name());
      n.put("kind", r.kind());
      n.put("started", r.started().toString());
      n.put("ended_as", "KILLED");
    }
    ObjectNode data = o.putObject("data");
    data.put("source", source);
    data.put("digest", dataDigest == null ? null : dataDigest.toString());
    data.put("rows", rows);
    columns.forEach(data.putArray("columns")::add);
    ArrayNode checks = data.putArray("checks");
    for (DataCheckResult c : dataChecks) {
      ObjectNode n = checks.addObject();
      n.put("check", c.check());
      n.put("subject", c.subject());
      putNumber(n, "value", c.value());
      n.put("threshold", c.threshold());
      n.put("passed", c.passed());
      n.put("detail", c.detail());
    }
    ObjectNode split = o.putObject("split");
    putNumber(split, "holdout_share", holdoutShare);
    split.put("seed", splitSeed);
    split.put("train_rows", trainRows);
    split.put("holdout_rows", holdoutRows);
    ObjectNode selection = o.putObject("selection");
    selection.put("metric", metric);
    ArrayNode trials = selection.putArray("candidates");
    for (Candidate c : candidates) {
      ObjectNode n = trials.addObject();
      n.put("run_id", c.runId());
      n.put("chosen", c.chosen());
      c.settings().forEach(n.putObject("settings")::put);
      ObjectNode s = n.putObject("scores");
      c.scores().forEach((k, v) -> putNumber(s, k, v));
    }
    ObjectNode evaluation = o.putObject("evaluation");
    ObjectNode cand = evaluation.putObject("candidate");
    candidateScores.forEach((k, v) -> putNumber(cand, k, v));
    ObjectNode champ = evaluation.putObject("champion");
    championScores.forEach((k, v) -> putNumber(champ, k, v));
    ArrayNode g = o.putArray("gate");
    for (GateResult r : gate) {
      ObjectNode n = g.addObject();
      n.put("kind", r.kind());
      n.put("metric", r.metric());
      putNumber(n, "candidate", r.candidate());
      putNumber(n, "champion", r.champion());
      n.put("threshold", r.threshold());
      n.put("passed", r.passed());
      n.put("note", r.note());
    }
    ObjectNode explanation = o.putObject("explanation");
    if (importance != null) {
      explanation.put("method", importance.method());
      explanation.put("metric", importance.metric());
      ArrayNode top = explanation.putArray("top_features");
      for (FeatureImportance.Feature f : topFeatures()) {
        ObjectNode n = top.addObject();
        n.put("name", f.name());
        putNumber(n, "importance", f.mean());
        putNumber(n, "std", f.std());
        putNumber(n, "share", importance.share(List.of(f.name())));
      }
    }
    ObjectNode drift = explanation.putObject("drift");
    driftedColumns.forEach(drift.putArray("drifted_columns")::add);
    putShare(drift, "champion_importance_share", driftedImportanceShare());
    putShare(drift, "candidate_importance_share", candidateDriftedImportanceShare());
    ObjectNode versions = o.putObject("versions");
    versions.put("champion_before", championBefore);
    versions.put("candidate", candidateVersion);
    versions.put("champion_after", championAfter);
    versions.put("package_digest", packageDigest == null ? null : packageDigest.toString());
    o.put("outcome", outcome == null ? null : outcome.name());
    o.put("reason", reason);
    ArrayNode s = o.putArray("steps");
    for (StepRecord step : steps) {
      ObjectNode n = s.addObject();
      n.put("name", step.name());
      n.put("run_id", step.runId());
      n.put("cached", step.cached());
      n.put("millis", step.millis());
      n.put("note", step.note());
    }
    return CanonicalJson.toPrettyString(o);
  }

  private static void putShare(ObjectNode o, String field, OptionalDouble share) {
    putNumber(o, field, share.isPresent() ? share.getAsDouble() : Double.NaN);
  }

  private static void putNumber(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  /** The record as one self-contained HTML page (no script, font or style sheet from elsewhere). */
  public String toHtml() {
    return DecisionHtml.render(this);
  }

  String modelName() {
    return modelName;
  }

  String source() {
    return source;
  }

  List<String> columns() {
    return columns;
  }

  double holdoutShare() {
    return holdoutShare;
  }

  long splitSeed() {
    return splitSeed;
  }

  String metric() {
    return metric;
  }

  Optional<Digest> packageDigest() {
    return Optional.ofNullable(packageDigest);
  }

  @Override
  public String toString() {
    return "DecisionRecord[" + lifecycle + " pass " + passRunId + ": " + outcome + ", " + reason + "]";
  }
}
