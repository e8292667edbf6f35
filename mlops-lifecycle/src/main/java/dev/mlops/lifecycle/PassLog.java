package dev.mlops.lifecycle;

import dev.mlops.core.Digest;
import dev.mlops.core.FeatureImportance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a pass has done so far; a {@link DecisionRecord} is a snapshot of it. Confined to the pass's thread. */
final class PassLog {
  String lifecycle;
  String modelName;
  String experiment;
  String passRunId;
  TriggerEvent trigger;
  Instant started;
  Instant ended;
  String source = "";
  Digest dataDigest;
  int rows = -1;
  List<String> columns = List.of();
  final List<DataCheckResult> dataChecks = new ArrayList<>();
  double holdoutShare = Double.NaN;
  long splitSeed;
  int trainRows = -1;
  int holdoutRows = -1;
  final List<Candidate> candidates = new ArrayList<>();
  String metric = "";
  final Map<String, Double> candidateScores = new LinkedHashMap<>();
  final Map<String, Double> championScores = new LinkedHashMap<>();
  final List<GateResult> gate = new ArrayList<>();
  Integer championBefore;
  Integer candidateVersion;
  Integer championAfter;
  Digest packageDigest;
  FeatureImportance importance;
  List<String> driftedColumns = List.of();
  Double driftedImportanceShare;
  Outcome outcome;
  String reason = "";
  final List<StepRecord> steps = new ArrayList<>();
  final List<InterruptedRun> interrupted = new ArrayList<>();

  DecisionRecord snapshot() {
    return new DecisionRecord(this);
  }
}
