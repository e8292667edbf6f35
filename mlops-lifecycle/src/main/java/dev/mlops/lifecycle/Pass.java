package dev.mlops.lifecycle;

import com.google.common.io.ByteSource;
import dev.mlops.core.Digest;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.explain.ExplainedPackage;
import dev.mlops.explain.Importance;
import dev.mlops.monitoring.ColumnDrift;
import dev.mlops.monitoring.Profile;
import dev.mlops.packaging.LoadOptions;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.serving.ChallengerStats;
import dev.mlops.serving.ModelService;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.internal.StoreLock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.tribuo.Dataset;
import org.tribuo.Model;

/** One pass or review of a life cycle, step by step; used once, on one thread. */
final class Pass {
  /** The most holdout rows the candidate's permutation importance is measured on. */
  static final int IMPORTANCE_ROWS = 2_000;
  private static final String TAG_TRIGGER_DETAIL = "mlops.lifecycle.trigger_detail";
  private final Lifecycle lc;
  private final PassLog log = new PassLog();
  private Run parent;
  private Experiment experiment;
  private List<String> features = List.of();

  Pass(Lifecycle lc) {
    this.lc = lc;
    log.lifecycle = lc.name;
    log.modelName = lc.name;
    log.experiment = lc.experiment;
  }

  /**
   * What a step's body sees: its run, when the step has one while it runs, and the note, cache
   * flag and values it leaves for the record.
   */
  private static final class Step {
    private final Run run;
    /** The run's builder: a recorded step declares its data sets on it. */
    final Run.Builder builder;
    final String name;
    String note = "";
    boolean cached;
    /** What the step logs, written in one batch as it ends rather than a write per value. */
    final Map<String, Number> metrics = new LinkedHashMap<>();
    final Map<String, Object> params = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();

    Step(String name, Run.Builder builder, Run run) {
      this.name = name;
      this.builder = builder;
      this.run = run;
    }

    /** The step's run, for a step started with one. */
    Run run() {
      if (run == null) {
        throw new IllegalStateException("step '" + name + "' is recorded as a run when it ends and has none while it runs");
      }
      return run;
    }
  }

  private interface Body<T> {
    T run(Step step);
  }

  // ---------------------------------------------------------------- a pass

  @SuppressWarnings("try") // the lock is held for the block, not used in it
  LifecycleResult run(TriggerEvent event) {
    Digest digest = lc.source.digest();
    String key = lc.passKey(digest);
    Optional<RunRecord> earlier = lc.finished(Lifecycle.TAG_KEY, key);
    if (earlier.isPresent()) {
      return unchanged(earlier.get());
    }
    Optional<StoreLock> lock = lc.acquireLock();
    if (lock.isEmpty()) {
      return new LifecycleResult(Outcome.BUSY, "another process held the lock of life cycle '" + lc.name
          + "' for " + lc.lockWait + "; its pass is still running", Optional.empty(), Optional.empty(), List.of());
    }
    try (StoreLock held = lock.get()) {
      // the pass that held the lock may have read the same inputs
      earlier = lc.finished(Lifecycle.TAG_KEY, key);
      if (earlier.isPresent()) {
        return unchanged(earlier.get());
      }
      return runLocked(event, digest, key);
    }
  }

  private LifecycleResult unchanged(RunRecord earlier) {
    return new LifecycleResult(Outcome.UNCHANGED, "data, configuration and code are those of pass " + earlier.runId()
        + ", which ended " + earlier.tags().getOrDefault(Lifecycle.TAG_OUTCOME, "?") + "; nothing to do",
        Optional.empty(), Optional.of(earlier.runId()), List.of());
  }

  private LifecycleResult runLocked(TriggerEvent event, Digest digest, String key) {
    log.trigger = event;
    log.started = lc.clock.instant();
    log.dataDigest = digest;
    log.source = lc.source.describe();
    parent = experiment().run("pass " + log.started)
        .tag(Lifecycle.TAG_NAME, lc.name).tag(Lifecycle.TAG_KIND, "pass")
        .tag(Lifecycle.TAG_TRIGGER, event.kind().name()).tag(TAG_TRIGGER_DETAIL, clip(event.detail()))
        .tag(Lifecycle.TAG_STARTED, Long.toString(log.started.toEpochMilli())).start();
    log.passRunId = parent.id();
    ModelPackage championPackage = null;
    try {
      interrupted(lc.endInterrupted(parent.id()));
      Optional<ModelVersion> champion = lc.aliased(Lifecycle.CHAMPION);
      log.championBefore = champion.map(ModelVersion::version).orElse(null);
      log.championAfter = log.championBefore;
      championPackage = champion.map(v -> lc.tracker.registry().load(v)).orElse(null);
      List<Path> files = steps(digest, key, champion, Optional.ofNullable(championPackage));
      return LifecycleResult.of(log.snapshot(), files);
    } catch (RuntimeException | Error e) {
      parent.end(RunStatus.FAILED);
      throw e;
    } finally {
      if (championPackage != null) {
        championPackage.close();
      }
    }
  }

  private List<Path> steps(Digest digest, String key, Optional<ModelVersion> champion, Optional<ModelPackage> championPackage) {
    Frame frame = recordedStep("ingest", s -> {
      Frame f = lc.source.read();
      s.builder.dataset("training", digest, f.schema(), "training");
      s.params.put("source", clip(lc.source.describe()));
      s.metrics.put("rows", f.rowCount());
      s.note = f.rowCount() + " rows, " + f.columnCount() + " columns";
      return f;
    });
    parent.dataset("training", digest, frame.schema(), "training");
    log.rows = frame.rowCount();
    log.columns = frame.columnNames();
    features = frame.columnNames().stream().filter(c -> !c.equals(lc.label)).toList();

    boolean valid = recordedStep("validate", s -> {
      List<DataCheckResult> results = new ArrayList<>();
      results.add(lc.task.labelCheck(frame, lc.label));
      DataChecks.Checked checked = lc.checks.run(frame, () -> championPackage.flatMap(Pass::referenceProfile),
          championPackage.flatMap(ModelPackage::importance), features);
      results.addAll(checked.results());
      checked.drift().ifPresent(d -> {
        log.driftedColumns = d.columns().stream().filter(ColumnDrift::drifted).map(ColumnDrift::column).toList();
        d.driftedImportanceShare().ifPresent(share -> log.driftedImportanceShare = share);
      });
      log.dataChecks.addAll(results);
      List<DataCheckResult> failed = results.stream().filter(r -> !r.passed()).toList();
      s.metrics.put("checks_failed", failed.size());
      s.tags.put(Lifecycle.TAG_GATE, failed.isEmpty() ? "passed" : "failed");
      s.note = failed.isEmpty() ? results.size() + " checks passed"
          : failed.size() + " of " + results.size() + " checks failed: " + describeChecks(failed);
      return failed.isEmpty();
    });
    if (!valid) {
      return finish(key, Outcome.INVALID_DATA, "the data failed its checks: " + describeChecks(
          log.dataChecks.stream().filter(r -> !r.passed()).toList()));
    }

    Split.Parts parts = recordedStep("split", s -> {
      Split.Parts p = lc.split.apply(frame);
      s.params.put("holdout_share", lc.split.share());
      s.params.put("seed", lc.split.seedValue());
      s.metrics.put("train_rows", p.train().rowCount());
      s.metrics.put("holdout_rows", p.holdout().rowCount());
      s.note = p.train().rowCount() + " rows to train on, " + p.holdout().rowCount() + " held out";
      return p;
    });
    log.holdoutShare = lc.split.share();
    log.splitSeed = lc.split.seedValue();
    log.trainRows = parts.train().rowCount();
    log.holdoutRows = parts.holdout().rowCount();
    log.metric = lc.search.metric();

    String trainKey = lc.trainKey(digest);
    Model<?> model = step("select", s -> select(s, parts, trainKey));

    recordedStep("evaluate", s -> {
      log.candidateScores.putAll(lc.task.score(model, parts.holdout(), lc.label));
      championPackage.ifPresent(p -> log.championScores.putAll(lc.task.score(p, parts.holdout(), lc.label)));
      log.candidateScores.forEach((k, v) -> s.metrics.put("candidate." + k, v));
      log.championScores.forEach((k, v) -> s.metrics.put("champion." + k, v));
      s.note = "candidate " + describeScores(log.candidateScores) + (championPackage.isPresent()
          ? "; champion version " + log.championBefore + " " + describeScores(log.championScores) : "; no champion")
          + " on the same " + parts.holdout().rowCount() + " holdout rows";
      return null;
    });

    boolean blessed = recordedStep("gate", s -> {
      List<GateResult> results = lc.gate.judge(log.candidateScores, log.championScores);
      if (results.isEmpty()) {
        results = List.of(new GateResult("value", log.metric, log.candidateScores.get(log.metric),
            log.championScores.getOrDefault(log.metric, Double.NaN), "none declared", true, "the gate is open"));
      }
      log.gate.addAll(results);
      boolean ok = results.stream().allMatch(GateResult::passed);
      s.tags.put(Lifecycle.TAG_GATE, ok ? "passed" : "failed");
      s.note = ok ? "passed " + results.size() + " condition(s)" : "failed: " + describeGate(results);
      return ok;
    });
    if (!blessed) {
      return finish(key, Outcome.REJECTED, "the candidate failed the gate: " + describeGate(log.gate));
    }

    Run packaged = step("package", s -> {
      withReferenceProfile(parts, profile -> {
        ModelPackage pkg = buildPackage(model, parts, profile);
        s.run().model("model", pkg);
        s.tags.put(Lifecycle.TAG_TRAIN_KEY, trainKey);
        log.packageDigest = pkg.digest();
        log.importance = pkg.importance().orElseThrow();
        s.note = "package " + pkg.digest() + " with the reference profile of " + parts.train().rowCount()
            + " training rows and the permutation importance on " + importanceRows(parts.holdout()).rowCount()
            + " holdout rows (most important: " + log.importance.features().get(0).name() + ")";
      });
      return s.run();
    });

    ModelVersion version = recordedStep("register", s -> {
      ModelRegistry registry = lc.tracker.registry();
      ModelVersion v = registry.register(lc.name, packaged.id(), "model",
          Map.of(Lifecycle.VERSION_PASS, parent.id(), Lifecycle.TAG_GATE, "passed"));
      registry.setAlias(lc.name, Lifecycle.CHALLENGER, v.version());
      s.params.put("version", v.version());
      s.note = v.uri() + " registered, aliased " + Lifecycle.CHALLENGER;
      return v;
    });
    log.candidateVersion = version.version();
    return deploy(key, version);
  }

  private List<Path> deploy(String key, ModelVersion version) {
    ModelRegistry registry = lc.tracker.registry();
    Run run = stepRun("deploy").start();
    long t0 = System.nanoTime();
    try {
      Outcome outcome;
      String reason;
      if (lc.deploy.mode() == Deploy.Mode.IMMEDIATE) {
        if (log.championBefore != null) {
          registry.setVersionTag(lc.name, version.version(), Lifecycle.VERSION_PREVIOUS, Integer.toString(log.championBefore));
        }
        outcome = Outcome.PROMOTED;
        reason = "version " + version.version() + " passed the gate (" + describeGate(log.gate) + ") and is the champion";
        log.championAfter = version.version();
      } else {
        registry.setVersionTag(lc.name, version.version(), Lifecycle.VERSION_STATE, "trial");
        registry.setVersionTag(lc.name, version.version(), Lifecycle.VERSION_TRIAL_STARTED,
            Long.toString(lc.clock.millis()));
        outcome = Outcome.ON_TRIAL;
        reason = "version " + version.version() + " passed the gate and serves as a " + lc.deploy.mode().name()
            .toLowerCase(java.util.Locale.ROOT) + " challenger for at least " + lc.deploy.trial() + " before a review";
      }
      addStep("deploy", run, false, t0, outcome == Outcome.PROMOTED ? "champion -> version " + version.version()
          : "challenger on trial, champion stays " + (log.championBefore == null ? "none" : "version " + log.championBefore));
      // the record, with the passed gate, is stored before the alias moves: a promotion is always explained
      List<Path> files = finish(key, outcome, reason);
      if (outcome == Outcome.PROMOTED) {
        registry.setAlias(lc.name, Lifecycle.CHAMPION, version.version());
        // only a version the alias reached is marked promoted, so the mark always has its record
        registry.setVersionTag(lc.name, version.version(), Lifecycle.VERSION_STATE, "promoted");
      }
      run.end(RunStatus.FINISHED, Map.of(), Map.of("mode", lc.deploy.mode().name()), Map.of());
      return files;
    } catch (RuntimeException | Error e) {
      run.end(RunStatus.FAILED);
      throw e;
    }
  }

  /** Completes the record, stores it, and ends the parent run, its outcome and cache key set together just before. */
  private List<Path> finish(String key, Outcome outcome, String reason) {
    log.outcome = outcome;
    log.reason = reason;
    log.ended = lc.clock.instant();
    DecisionRecord record = log.snapshot();
    parent.text("decision.json", record.toJson()).text("decision.html", record.toHtml());
    List<Path> files = lc.records == null ? List.of() : RecordFiles.write(lc.records, record);
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(Lifecycle.TAG_OUTCOME, outcome.name());
    if (key != null) {
      tags.put(Lifecycle.TAG_KEY, key);
    }
    // the outcome, the cache key and the end in one write: a pass found by its key has ended with its outcome
    parent.end(RunStatus.FINISHED, Map.of(), key == null ? Map.of() : Map.of("trigger", log.trigger.kind().name()), tags);
    return files;
  }

  // ---------------------------------------------------------------- training and selection

  private Model<?> select(Step s, Split.Parts parts, String trainKey) {
    Optional<RunRecord> reused = lc.finished(Lifecycle.TAG_TRAIN_KEY, trainKey);
    if (reused.isPresent()) {
      byte[] bytes = lc.tracker.readArtifact(reused.get().runId(), "model/" + ModelRegistry.PACKAGE_FILE);
      try (ModelPackage pkg = ModelPackage.read(new ByteArrayInputStream(bytes), "the package of run "
          + reused.get().runId(), LoadOptions.defaults())) {
        s.cached = true;
        s.tags.put("mlops.lifecycle.reused_from", reused.get().runId());
        s.note = "inputs unchanged: reused the candidate packaged by run " + reused.get().runId();
        return lc.task.cast(pkg.model(), "the reused package of life cycle '" + lc.name + "'");
      }
    }
    List<Map<String, String>> trials = lc.search.trials();
    if (lc.trainer == null || trials.size() == 1 && trials.get(0).isEmpty()) {
      Model<?> model = train(trials.get(0), parts.train());
      s.note = "trained " + (lc.trainer == null ? "with the training function" : lc.trainer.getClass().getSimpleName())
          + " on " + parts.train().rowCount() + " rows";
      return model;
    }
    Split.Parts inner = Split.cut(parts.train(), Search.SELECTION_SHARE, lc.split.seedValue() + 1);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(lc.search.threadCount(), trials.size()), r -> {
      Thread t = new Thread(r, "mlops-lifecycle-trial");
      t.setDaemon(true);
      return t;
    });
    List<Trained> done = new ArrayList<>();
    try {
      // every trial reads the same rows and only reads them: they become Tribuo data sets once, both at once on
      // the pool, and the trainer's configuration is extracted once, rather than each trial repeating the work
      Future<Dataset<?>> trainData = pool.submit(() -> lc.task.dataset(inner.train(), lc.label));
      Future<Dataset<?>> selectionData = pool.submit(() -> lc.task.dataset(inner.holdout(), lc.label));
      Selection selection = new Selection(new TrialTrainers(lc.trainer), trainData.get(), selectionData.get(),
          inner.holdout());
      // started longest first, collected in the declared order
      List<Future<Trained>> futures = new ArrayList<>(Collections.nCopies(trials.size(), null));
      for (int i : Search.startOrder(trials)) {
        futures.set(i, pool.submit(() -> trial(s.run(), i + 1, trials.get(i), selection)));
      }
      for (Future<Trained> f : futures) {
        done.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the trials of life cycle '" + lc.name + "' ran", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("a trial of life cycle '" + lc.name + "' failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    String metric = lc.search.metric();
    Comparator<Trained> byScore = Comparator.comparingDouble(t -> t.candidate().scores().get(metric));
    // the first of equal scores wins, so the choice does not depend on the order trials finish in
    Trained best = done.get(0);
    for (Trained t : done) {
      int c = byScore.compare(t, best);
      if (lc.search.maximizes() ? c > 0 : c < 0) {
        best = t;
      }
    }
    for (Trained t : done) {
      Candidate c = t.candidate();
      log.candidates.add(new Candidate(c.runId(), c.settings(), c.scores(), t == best));
    }
    Candidate chosen = best.candidate();
    chosen.settings().forEach((k, v) -> s.params.put("best." + k, v));
    s.metrics.put("trials", trials.size());
    s.note = trials.size() + " trials on " + lc.search.threadCount() + " thread(s); best " + chosen.settings() + " with "
        + metric + " " + Gate.number(chosen.scores().get(metric)) + " on " + inner.holdout().rowCount() + " selection rows; the"
        + " candidate is that trial's model, trained on the other " + inner.train().rowCount() + " training rows";
    return best.model();
  }

  /** A trial's model and its record. */
  private record Trained(Model<?> model, Candidate candidate) {}

  /**
   * What every trial of a search shares, read-only: the trainer's configuration, the training
   * rows and the selection rows as Tribuo data sets, and the selection rows themselves.
   */
  private record Selection(TrialTrainers trainers, Dataset<?> train, Dataset<?> selection, Frame selectionRows) {}

  private Trained trial(Run selectRun, int n, Map<String, String> settings, Selection shared) {
    // recorded whole when it ends: one write instead of a start, a batch and an end
    Run.Builder run = experiment().run("trial " + n).parent(selectRun)
        .tag(Lifecycle.TAG_NAME, lc.name).tag(Lifecycle.TAG_KIND, "trial");
    Map<String, Double> scores;
    Model<?> model;
    try {
      model = lc.task.train(shared.trainers().configure(settings), shared.train());
      scores = lc.task.score(model, shared.selection(), shared.selectionRows(), lc.label);
    } catch (RuntimeException | Error e) {
      try {
        run.record(RunStatus.FAILED, Map.of(), settings);
      } catch (RuntimeException logging) {
        e.addSuppressed(logging);
      }
      throw e;
    }
    Run recorded = run.record(RunStatus.FINISHED, scores, settings);
    return new Trained(model, new Candidate(recorded.id(), settings, scores, false));
  }

  private Model<?> train(Map<String, String> settings, Frame rows) {
    if (lc.trainer == null) {
      return lc.task.train(lc.trainFunction, rows, lc.label);
    }
    return lc.task.train(new TrialTrainers(lc.trainer).configure(settings), rows, lc.label);
  }

  /** Writes the training rows' profile to a temporary file that lives while {@code body} packages and logs it. */
  private void withReferenceProfile(Split.Parts parts, java.util.function.Consumer<Path> body) {
    Path profile = null;
    try {
      profile = Files.createTempFile("mlops-profile-", ".json");
      Files.writeString(profile, Profile.of(parts.train().select(features)).toJson(), StandardCharsets.UTF_8);
      body.accept(profile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the reference profile of life cycle '" + lc.name + "'", e);
    } finally {
      if (profile != null) {
        try {
          Files.deleteIfExists(profile);
        } catch (IOException ignored) {
          // a temporary file; the logged package holds its bytes
        }
      }
    }
  }

  private ModelPackage buildPackage(Model<?> model, Split.Parts parts, Path profile) {
    ModelPackage.Builder builder = ModelPackage.builder(lc.name)
        .version("pass-" + parent.id())
        .model(model)
        .inputExample(parts.holdout().select(features).slice(0, Math.min(5, parts.holdout().rowCount())))
        .lineage(parent.id(), lc.experiment, log.candidateScores)
        .artifact(Lifecycle.PROFILE_ARTIFACT, profile)
        .metadata("training-data", log.dataDigest + ", " + parts.train().rowCount() + " rows")
        .clock(lc.clock);
    // measured on holdout rows, which neither the candidate nor its selection saw, with the pass's seed
    return ExplainedPackage.importance(builder, importanceRows(parts.holdout()), lc.label, Importance.permutation()
        .seed(lc.split.seedValue()).parallelism(lc.search.threadCount())).build();
  }

  /** The holdout rows the importance is measured on: at most {@value #IMPORTANCE_ROWS}, enough for a stable ranking. */
  private static Frame importanceRows(Frame holdout) {
    return holdout.rowCount() <= IMPORTANCE_ROWS ? holdout : holdout.slice(0, IMPORTANCE_ROWS);
  }

  static Optional<Profile> referenceProfile(ModelPackage pkg) {
    ByteSource source = pkg.artifacts().get(Lifecycle.PROFILE_ARTIFACT);
    if (source == null) {
      return Optional.empty();
    }
    try {
      long size = source.size();
      if (size > Profile.DEFAULT_MAX_JSON_CHARS) {
        throw new InvalidInputException("the reference profile of " + pkg + " is " + size + " bytes, more than "
            + Profile.DEFAULT_MAX_JSON_CHARS);
      }
      return Optional.of(Profile.fromJson(source.asCharSource(StandardCharsets.UTF_8).read()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the reference profile of " + pkg, e);
    }
  }

  // ---------------------------------------------------------------- review

  @SuppressWarnings("try") // the lock is held for the block, not used in it
  LifecycleResult review(ModelService service) {
    Optional<StoreLock> lock = lc.acquireLock();
    if (lock.isEmpty()) {
      return new LifecycleResult(Outcome.BUSY, "another process holds the lock of life cycle '" + lc.name + "'",
          Optional.empty(), Optional.empty(), List.of());
    }
    try (StoreLock held = lock.get()) {
      interrupted(lc.endInterrupted(null));
      Optional<ModelVersion> champion = lc.aliased(Lifecycle.CHAMPION);
      Optional<ModelVersion> challenger = lc.aliased(Lifecycle.CHALLENGER);
      OptionalDouble accuracy = service.monitor().map(m -> m.accuracy()).orElse(OptionalDouble.empty());
      if (challenger.isPresent() && "trial".equals(challenger.get().tags().get(Lifecycle.VERSION_STATE))) {
        Optional<LifecycleResult> judged = judgeTrial(service, champion, challenger.get(), accuracy);
        if (judged.isPresent()) {
          return judged.get();
        }
      }
      if (champion.isPresent() && "promoted".equals(champion.get().tags().get(Lifecycle.VERSION_STATE))
          && champion.get().tags().containsKey(Lifecycle.VERSION_PREVIOUS) && accuracy.isPresent()) {
        OptionalDouble bound = lc.gate.lowerBound("accuracy");
        if (bound.isPresent() && accuracy.getAsDouble() < bound.getAsDouble()) {
          return rollback(champion.get(), accuracy.getAsDouble(), bound.getAsDouble());
        }
      }
      return new LifecycleResult(Outcome.KEPT, "nothing to change: " + (challenger.isPresent()
          && "trial".equals(challenger.get().tags().get(Lifecycle.VERSION_STATE))
          ? "the challenger's trial continues" : "no challenger on trial")
          + (accuracy.isPresent() ? ", monitored accuracy " + Gate.number(accuracy.getAsDouble()) : ""),
          Optional.empty(), Optional.empty(), List.of());
    }
  }

  private Optional<LifecycleResult> judgeTrial(ModelService service, Optional<ModelVersion> champion,
      ModelVersion challenger, OptionalDouble accuracy) {
    boolean served = service.challenger().map(m -> m.version().equals(Integer.toString(challenger.version()))).orElse(false);
    Optional<ChallengerStats> stats = service.challengerStats();
    long started = Long.parseLong(challenger.tags().getOrDefault(Lifecycle.VERSION_TRIAL_STARTED, "0"));
    Duration elapsed = Duration.ofMillis(lc.clock.millis() - started);
    if (!served || stats.isEmpty() || elapsed.compareTo(lc.deploy.trial()) < 0 || stats.get().rows() < lc.deploy.minRowsValue()) {
      return Optional.empty();
    }
    List<GateResult> results = lc.deploy.criteria().judge(stats.get(), accuracy);
    boolean ok = results.stream().allMatch(GateResult::passed);
    TriggerEvent event = new TriggerEvent(Trigger.Kind.REVIEW, "the trial of version " + challenger.version() + " ran "
        + elapsed + " over " + stats.get().rows() + " rows", lc.clock.instant());
    return Optional.of(reviewRecord(event, challenger, champion.map(ModelVersion::version).orElse(null), results, ok));
  }

  private LifecycleResult reviewRecord(TriggerEvent event, ModelVersion challenger, Integer championVersion,
      List<GateResult> results, boolean promote) {
    startReview(event);
    log.championBefore = championVersion;
    log.championAfter = championVersion;
    log.candidateVersion = challenger.version();
    log.gate.addAll(results);
    ModelRegistry registry = lc.tracker.registry();
    Run run = stepRun("review").start();
    long t0 = System.nanoTime();
    Outcome outcome;
    String reason;
    if (promote) {
      if (championVersion != null) {
        registry.setVersionTag(lc.name, challenger.version(), Lifecycle.VERSION_PREVIOUS, Integer.toString(championVersion));
      }
      outcome = Outcome.PROMOTED;
      reason = "version " + challenger.version() + " met the online criteria (" + describeGate(results) + ") and is the champion";
      log.championAfter = challenger.version();
    } else {
      registry.setVersionTag(lc.name, challenger.version(), Lifecycle.VERSION_STATE, "rejected");
      outcome = Outcome.REJECTED;
      reason = "version " + challenger.version() + " missed the online criteria: " + describeGate(results);
    }
    addStep("review", run, false, t0, reason);
    List<Path> files = finish(null, outcome, reason);
    if (promote) {
      registry.setAlias(lc.name, Lifecycle.CHAMPION, challenger.version());
      registry.setVersionTag(lc.name, challenger.version(), Lifecycle.VERSION_STATE, "promoted");
    } else if (championVersion != null) {
      // the service's shadow slot follows the champion again rather than the rejected model
      registry.setAlias(lc.name, Lifecycle.CHALLENGER, championVersion);
    }
    run.close();
    return LifecycleResult.of(log.snapshot(), files);
  }

  private LifecycleResult rollback(ModelVersion champion, double accuracy, double bound) {
    int previous = Integer.parseInt(champion.tags().get(Lifecycle.VERSION_PREVIOUS));
    TriggerEvent event = new TriggerEvent(Trigger.Kind.REVIEW, "monitored accuracy of version " + champion.version() + " is "
        + Gate.number(accuracy) + ", below the gate's " + Gate.number(bound), lc.clock.instant());
    startReview(event);
    log.championBefore = champion.version();
    log.candidateVersion = previous;
    log.gate.add(new GateResult("online", "accuracy", accuracy, Double.NaN, "≥ " + Gate.number(bound), false,
        "the promoted model's monitored quality fell below the gate"));
    ModelRegistry registry = lc.tracker.registry();
    Run run = stepRun("rollback").start();
    long t0 = System.nanoTime();
    registry.setVersionTag(lc.name, champion.version(), Lifecycle.VERSION_STATE, "rolled_back");
    String reason = "version " + champion.version() + " scored " + Gate.number(accuracy) + " online, below the gate's "
        + Gate.number(bound) + "; the champion is version " + previous + " again";
    log.championAfter = previous;
    addStep("rollback", run, false, t0, "champion -> version " + previous);
    List<Path> files = finish(null, Outcome.ROLLED_BACK, reason);
    registry.setAlias(lc.name, Lifecycle.CHAMPION, previous);
    run.close();
    return LifecycleResult.of(log.snapshot(), files);
  }

  private void startReview(TriggerEvent event) {
    log.trigger = event;
    log.started = lc.clock.instant();
    parent = experiment().run("review " + log.started)
        .tag(Lifecycle.TAG_NAME, lc.name).tag(Lifecycle.TAG_KIND, "review")
        .tag(Lifecycle.TAG_TRIGGER, event.kind().name()).start();
    log.passRunId = parent.id();
  }

  /** Notes in the record the passes and reviews a dead process left running, which the sweep ended. */
  private void interrupted(List<RunRecord> runs) {
    for (RunRecord r : runs) {
      log.interrupted.add(new InterruptedRun(r.runId(), r.name(), r.tags().getOrDefault(Lifecycle.TAG_KIND, "?"),
          java.time.Instant.ofEpochMilli(r.startTime())));
    }
  }

  // ---------------------------------------------------------------- steps

  /**
   * The life cycle's experiment, got once for the pass: getting it creates it when missing, a
   * write to the store that every step and trial would otherwise repeat. Set before any trial's
   * thread starts, which reads it after.
   */
  private Experiment experiment() {
    if (experiment == null) {
      experiment = lc.tracker.experiment(lc.experiment);
    }
    return experiment;
  }

  private Run.Builder stepRun(String name) {
    return experiment().run(name).parent(parent)
        .tag(Lifecycle.TAG_NAME, lc.name).tag(Lifecycle.TAG_KIND, "step").tag(Lifecycle.TAG_STEP, name);
  }

  /** A step whose run is started before its body runs: the body logs to it or nests runs in it. */
  private <T> T step(String name, Body<T> body) {
    return step(name, true, body);
  }

  /**
   * A step whose run is recorded whole when its body ends, FINISHED or FAILED with what it
   * logged: one write instead of a start, a batch and an end. For the steps that neither log to
   * their run nor nest runs in it while they run.
   */
  private <T> T recordedStep(String name, Body<T> body) {
    return step(name, false, body);
  }

  private <T> T step(String name, boolean started, Body<T> body) {
    Run.Builder builder = stepRun(name);
    Step s = new Step(name, builder, started ? builder.start() : null);
    long t0 = System.nanoTime();
    T value;
    try {
      value = body.run(s);
    } catch (RuntimeException | Error e) {
      try {
        end(builder, s, RunStatus.FAILED);
      } catch (RuntimeException logging) {
        e.addSuppressed(logging);
      }
      throw e;
    }
    Run run = end(builder, s, RunStatus.FINISHED);
    addStep(name, run, s.cached, t0, s.note);
    return value;
  }

  /**
   * Ends a step's run with what the step logged, in one write: the run started for it, or the
   * run recorded whole when it had none while it ran.
   */
  private static Run end(Run.Builder builder, Step s, RunStatus status) {
    if (s.cached) {
      s.tags.put("mlops.lifecycle.cached", "true");
    }
    if (s.run == null) {
      s.tags.forEach(builder::tag);
      return builder.record(status, s.metrics, s.params);
    }
    try {
      s.run.end(status, s.metrics, s.params, s.tags);
    } catch (RuntimeException | Error e) {
      // the values were refused and the run is still open
      s.run.end(RunStatus.FAILED);
      throw e;
    }
    return s.run;
  }

  private void addStep(String name, Run run, boolean cached, long t0, String note) {
    StepRecord record = new StepRecord(name, run.id(), cached, (System.nanoTime() - t0) / 1_000_000, note);
    log.steps.add(record);
    lc.stepEnded(record);
  }

  private static String describeChecks(List<DataCheckResult> failed) {
    return failed.stream().map(c -> c.check() + " of " + c.subject() + " (" + c.detail() + ", wanted " + c.threshold() + ")")
        .collect(Collectors.joining("; "));
  }

  private static String describeGate(List<GateResult> results) {
    return results.stream().map(g -> g.metric() + " " + Gate.number(g.candidate()) + " " + g.threshold()
        + (g.passed() ? " pass" : " FAIL") + (Double.isNaN(g.champion()) ? "" : " (champion " + Gate.number(g.champion()) + ")"))
        .collect(Collectors.joining("; "));
  }

  private static String describeScores(Map<String, Double> scores) {
    return scores.entrySet().stream().map(e -> e.getKey() + " " + Gate.number(e.getValue())).collect(Collectors.joining(", "));
  }

  private static String clip(String text) {
    return text.length() <= 4000 ? text : text.substring(0, 4000) + "…";
  }
}
