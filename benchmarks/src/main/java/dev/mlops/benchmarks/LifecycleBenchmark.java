package dev.mlops.benchmarks;

import dev.mlops.core.Digest;
import dev.mlops.core.Frame;
import dev.mlops.core.NotFoundException;
import dev.mlops.explain.ExplainedPackage;
import dev.mlops.explain.Importance;
import dev.mlops.lifecycle.DataChecks;
import dev.mlops.lifecycle.DataSource;
import dev.mlops.lifecycle.Gate;
import dev.mlops.lifecycle.Lifecycle;
import dev.mlops.lifecycle.LifecycleResult;
import dev.mlops.lifecycle.Outcome;
import dev.mlops.lifecycle.Search;
import dev.mlops.lifecycle.Split;
import dev.mlops.monitoring.Profile;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * The life cycle's own cost. {@code noChangePass}: a pass whose data, configuration and code are
 * those of a finished pass (against {@code digestOnly}, digesting the data folder, which such a
 * pass must do). {@code fullPassAndByHand}: a whole pass on {@value #ROWS} rows — ingest, checks,
 * split, train, evaluate champion and candidate, gate, package with the profile and the
 * permutation importance on up to 2,000 holdout rows, register, promote, record — and, in the same
 * invocation, the same steps called directly (one run, the same reads, training, scoring, profile,
 * importance, package, registration and aliases, no nested runs or record), timed apart as the
 * figures {@value #FULL_PASS} and {@value #BY_HAND}. {@code gridOnOneAndTwoThreads}: a pass with a
 * grid of 8 trials on 1 thread and the same pass on 2, timed apart; the figures
 * {@value #SELECT_ON_ONE} and {@value #SELECT_ON_TWO} are its select step (the grid search: the
 * trials and the data sets they share), {@value #PASS_ON_ONE} and {@value #PASS_ON_TWO} the whole
 * passes; in the same invocations, after the passes, the grid's 8 trainings and their scoring
 * called directly on a pool of 1 thread and of 2, longest first, on data sets of the select
 * step's sizes built once: what the machine allows these trainings at the same moments and in the
 * same compiled code, the ceiling of the search's speed-up
 * ({@value #TRAININGS_ON_ONE}, {@value #TRAININGS_ON_TWO}). {@code machineOnOneAndTwoThreads}: the
 * {@link MachineKernels}, loops that use nothing of the library, each run twice, one after the
 * other on 1 thread and side by side on 2: what two threads get from the machine during the run,
 * for registers alone and for short-lived arrays. A ratio is read from two figures of the same fork, alternately first, rather than from
 * two forks: a fork's compiled code and heap move a pass by more than the difference measured.
 * Each pass changes the code version so that nothing is reused.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only Lifecycle
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
public class LifecycleBenchmark {
  static final int ROWS = 20_000;
  static final int COLUMNS = 8;
  static final int EPOCHS = 5;
  static final String SELECT_ON_ONE = "LifecycleBenchmark.gridOnOneAndTwoThreads.selectOnOneThread";
  static final String SELECT_ON_TWO = "LifecycleBenchmark.gridOnOneAndTwoThreads.selectOnTwoThreads";
  static final String PASS_ON_ONE = "LifecycleBenchmark.gridOnOneAndTwoThreads.passOnOneThread";
  static final String PASS_ON_TWO = "LifecycleBenchmark.gridOnOneAndTwoThreads.passOnTwoThreads";
  static final String TRAININGS_ON_ONE = "LifecycleBenchmark.gridOnOneAndTwoThreads.trainingsOnOneThread";
  static final String TRAININGS_ON_TWO = "LifecycleBenchmark.gridOnOneAndTwoThreads.trainingsOnTwoThreads";
  static final String REGISTERS_ON_ONE = "LifecycleBenchmark.machineOnOneAndTwoThreads.registersOnOneThread";
  static final String REGISTERS_ON_TWO = "LifecycleBenchmark.machineOnOneAndTwoThreads.registersOnTwoThreads";
  static final String ARRAYS_ON_ONE = "LifecycleBenchmark.machineOnOneAndTwoThreads.arraysOnOneThread";
  static final String ARRAYS_ON_TWO = "LifecycleBenchmark.machineOnOneAndTwoThreads.arraysOnTwoThreads";
  static final long REGISTER_STEPS = 60_000_000L;
  static final int ARRAYS = 6_000_000;
  static final String FULL_PASS = "LifecycleBenchmark.fullPassAndByHand.fullPass";
  static final String BY_HAND = "LifecycleBenchmark.fullPassAndByHand.byHand";

  private ScratchFolder folder;
  private Tracker tracker;
  private Path incoming;
  private Lifecycle unchanged;
  private int version;
  private final Map<String, List<Long>> figures = new TreeMap<>();
  private boolean measuring;
  private int invocations;

  @Setup(Level.Trial)
  public void setUp() {
    folder = ScratchFolder.create("lifecycle");
    tracker = Tracker.open("sqlite:" + folder.resolve("mlops.db"));
    incoming = folder.resolve("incoming");
    try {
      Files.createDirectories(incoming);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SyntheticData.labelled(ROWS, COLUMNS, 5).writeCsv(incoming.resolve("batch.csv"));
    unchanged = lifecycle("unchanged", "0", null);
    if (unchanged.runOnce().outcome() != Outcome.PROMOTED) {
      throw new IllegalStateException("the first pass did not promote");
    }
  }

  @Setup(Level.Iteration)
  public void iteration(IterationParams params) {
    measuring = params.getType() == IterationType.MEASUREMENT;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    figures.forEach((name, millis) -> {
      List<Long> sorted = millis.stream().sorted().toList();
      int n = sorted.size();
      // the median the target checks read, the mean of the middle two for an even count
      double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
      System.out.println(name + ": median " + median + " ms over " + n + " measured passes, " + sorted);
      JmhScores.recordFigures(name, millis);
    });
    tracker.close();
    folder.close();
  }

  /** The benchmark's life cycle; without a search it trains the trainer as configured on every training row. */
  private Lifecycle lifecycle(String name, String code, Search search) {
    Lifecycle.Builder b = Lifecycle.builder(tracker, name)
        .data(DataSource.csv(incoming))
        .label(SyntheticData.LABEL)
        .validateData(DataChecks.none().maxMissingShare(0.05))
        .split(Split.holdout(0.2).seed(7))
        .train(trainer())
        .gate(Gate.atLeast("accuracy", 0.5).and(Gate.notWorseThanChampion("accuracy", 0.5)))
        .codeVersion(code);
    return (search == null ? b : b.select(search)).build();
  }

  private static LinearSGDTrainer trainer() {
    return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.5, 0.1), EPOCHS, 1L);
  }

  @Benchmark
  public LifecycleResult noChangePass() {
    return unchanged.runOnce();
  }

  @Benchmark
  public Digest digestOnly() {
    return DataSource.csv(incoming).digest();
  }

  /** A full pass and the same steps by hand, alternately first. */
  @Benchmark
  @Warmup(iterations = 8)
  @Measurement(iterations = 24)
  public List<Object> fullPassAndByHand() throws IOException {
    List<Object> out = new ArrayList<>(2);
    for (boolean pass : alternately()) {
      long t0 = System.nanoTime();
      out.add(pass ? lifecycle("full", Integer.toString(++version), null).runOnce() : byHand());
      keep(pass ? FULL_PASS : BY_HAND, t0);
    }
    return out;
  }

  /** The grid's pass on 1 thread and on 2, then its trainings called directly on 1 and on 2, each pair alternately first. */
  @Benchmark
  @Warmup(iterations = 8)
  @Measurement(iterations = 24)
  public List<Object> gridOnOneAndTwoThreads() throws InterruptedException, ExecutionException {
    List<Object> out = new ArrayList<>(4);
    boolean[] order = alternately();
    for (boolean one : order) {
      long t0 = System.nanoTime();
      LifecycleResult result = lifecycle(one ? "grid1" : "grid2", Integer.toString(++version),
          grid().threads(one ? 1 : 2)).runOnce();
      keep(one ? PASS_ON_ONE : PASS_ON_TWO, t0);
      if (measuring) {
        // the select step's own time: the pass also reads, checks, splits, packages and registers on one thread
        result.record().orElseThrow().steps().stream().filter(s -> s.name().equals("select"))
            .forEach(s -> figures.computeIfAbsent(one ? SELECT_ON_ONE : SELECT_ON_TWO, k -> new ArrayList<>()).add(s.millis()));
      }
      out.add(result);
    }
    if (trainings == null) {
      trainings = new Trainings(Frame.readCsv(incoming.resolve("batch.csv")));
    }
    for (boolean one : order) {
      long t0 = System.nanoTime();
      out.add(trainings.run(one ? 1 : 2));
      keep(one ? TRAININGS_ON_ONE : TRAININGS_ON_TWO, t0);
    }
    return out;
  }

  private Trainings trainings;

  /** The machine's own two loops, without the library, on 1 thread and on 2, alternately first. */
  @Benchmark
  @Warmup(iterations = 4)
  @Measurement(iterations = 16)
  public long machineOnOneAndTwoThreads() {
    long spent = 0;
    for (boolean one : alternately()) {
      long registers = MachineKernels.onThreads(one ? 1 : 2, () -> MachineKernels.registerSums(REGISTER_STEPS));
      keepNanos(one ? REGISTERS_ON_ONE : REGISTERS_ON_TWO, registers);
      long arrays = MachineKernels.onThreads(one ? 1 : 2, () -> MachineKernels.shortLivedArrays(ARRAYS));
      keepNanos(one ? ARRAYS_ON_ONE : ARRAYS_ON_TWO, arrays);
      spent += registers + arrays;
    }
    return spent;
  }

  /** The grid's trainings on data sets of the select step's sizes: 12,000 rows to train on, 4,000 to score. */
  private static final class Trainings {
    private final MutableDataset<Label> train;
    private final MutableDataset<Label> selection;
    private final Frame selectionRows;

    Trainings(Frame all) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < all.rowCount(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(7));
      int trainRows = all.rowCount() * 3 / 5;
      int selectionRows = all.rowCount() / 5;
      int[] part = new int[all.rowCount()];
      order.subList(0, trainRows).forEach(i -> part[i] = 1);
      order.subList(trainRows, trainRows + selectionRows).forEach(i -> part[i] = 2);
      train = all.filter(i -> part[i] == 1).toTribuo(SyntheticData.LABEL, new LabelFactory());
      this.selectionRows = all.filter(i -> part[i] == 2);
      selection = this.selectionRows.toTribuo(SyntheticData.LABEL, new LabelFactory());
    }

    /** The accuracy of each setting, longest trainings started first, as the life cycle starts its trials. */
    List<Double> run(int threads) throws InterruptedException, ExecutionException {
      List<Callable<Double>> work = new ArrayList<>();
      for (int epochs : new int[] {EPOCHS + 1, EPOCHS}) {
        for (double rate : new double[] {0.05, 0.1, 0.5, 1.0}) {
          work.add(() -> accuracy(new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(rate, 0.1), epochs, 1L)
              .train(train).predict(selection), selectionRows));
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Double> scores = new ArrayList<>();
        for (Future<Double> f : pool.invokeAll(work)) {
          scores.add(f.get());
        }
        return scores;
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** {@code true, false} and {@code false, true} in turn, so that neither side always runs after the other's garbage. */
  private boolean[] alternately() {
    return invocations++ % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true};
  }

  private void keep(String figure, long startNanos) {
    keepNanos(figure, System.nanoTime() - startNanos);
  }

  private void keepNanos(String figure, long nanos) {
    if (measuring) {
      figures.computeIfAbsent(figure, k -> new ArrayList<>()).add(nanos / 1_000_000);
    }
  }

  private static Search grid() {
    return Search.grid("initialLearningRate", 0.05, 0.1, 0.5, 1.0).and("epochs", EPOCHS, EPOCHS + 1).maximize("accuracy");
  }

  /** The steps of a full pass called directly, with one run and no record. */
  private ModelVersion byHand() throws IOException {
    Digest digest = Digest.ofFolder(incoming);
    Frame all = Frame.readCsv(incoming.resolve("batch.csv"));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < all.rowCount(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(7));
    boolean[] held = new boolean[all.rowCount()];
    order.subList(0, all.rowCount() / 5).forEach(i -> held[i] = true);
    Frame train = all.filter(i -> !held[i]);
    Frame holdout = all.filter(i -> held[i]);
    String name = "by-hand";
    Optional<ModelVersion> champion;
    try {
      champion = Optional.of(tracker.registry().resolve("models:/" + name + "@champion"));
    } catch (NotFoundException e) {
      champion = Optional.empty();
    }
    Model<Label> model = trainer().train(train.toTribuo(SyntheticData.LABEL, new LabelFactory()));
    MutableDataset<Label> holdoutData = holdout.toTribuo(SyntheticData.LABEL, new LabelFactory());
    double candidate = accuracy(model.predict(holdoutData), holdout);
    double championAccuracy = Double.NaN;
    if (champion.isPresent()) {
      try (ModelPackage pkg = tracker.registry().load(champion.get())) {
        championAccuracy = accuracy(pkg.predictor(Label.class).predict(holdout), holdout);
      }
    }
    List<String> features = all.columnNames().stream().filter(c -> !c.equals(SyntheticData.LABEL)).toList();
    Path profile = folder.resolve("profile.json");
    Files.writeString(profile, Profile.of(train.select(features)).toJson(), StandardCharsets.UTF_8);
    try (Run run = tracker.experiment(name).run("by hand").start()) {
      run.dataset("training", digest, all.schema(), "training").metric("accuracy", candidate);
      if (!Double.isNaN(championAccuracy)) {
        run.metric("champion_accuracy", championAccuracy);
      }
      ModelPackage.Builder pkg = ModelPackage.builder(name).version("hand-" + (++version)).model(model)
          .inputExample(holdout.select(features).slice(0, 5))
          .lineage(run.id(), name, Map.of("accuracy", candidate))
          .artifact("reference-profile.json", profile);
      run.model("model", ExplainedPackage.importance(pkg, holdout.slice(0, Math.min(2_000, holdout.rowCount())),
          SyntheticData.LABEL, Importance.permutation().seed(7).parallelism(1)).build());
      ModelVersion v = tracker.registry().register(name, run, "model");
      tracker.registry().setAlias(name, "challenger", v.version());
      tracker.registry().setAlias(name, "champion", v.version());
      return v;
    }
  }

  private static double accuracy(List<Prediction<Label>> predictions, Frame rows) {
    int right = 0;
    for (int i = 0; i < predictions.size(); i++) {
      right += predictions.get(i).getOutput().getLabel().equals(rows.categorical(SyntheticData.LABEL).get(i)) ? 1 : 0;
    }
    return (double) right / predictions.size();
  }
}
