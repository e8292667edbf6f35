package dev.mlops.monitoring;

import dev.mlops.core.CategoricalColumn;
import dev.mlops.core.Column;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NumericColumn;
import dev.mlops.monitoring.internal.RadixSort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Compares current data with a reference, column by column, and decides dataset drift. Between
 * two frames the tests run exactly on the data (each numeric column is sorted once and every
 * statistic reads the sorted values); between two profiles they run on the sketches and bins,
 * and the report says so ({@link DriftReport#method()}).
 *
 * <p>Each column gets its test by the default rule (Evidently's): numeric with at most 1000
 * reference values: ks when more than 5 distinct values, chiSquare for 3–5, z for 1–2; numeric
 * with more: wasserstein when more than 5, else jensenShannon; categorical: chiSquare (z for two
 * categories) up to 1000 values, else jensenShannon. A test named for a column wins over one named
 * for its type, which wins over the rule. Missing and ±Inf values are left out of the tests and
 * reported as data quality.
 *
 * <pre>{@code
 * DriftReport report = Drift.between(trainingFrame, currentFrame)
 *     .defaults()
 *     .test("age", StatTest.psi().threshold(0.2))
 *     .categoricalTest(StatTest.jensenShannon())
 *     .driftShare(0.5)
 *     .run();
 * }</pre>
 */
public final class Drift {
  /** The default share of drifted columns from which the dataset counts as drifted. */
  public static final double DEFAULT_DRIFT_SHARE = 0.5;

  private final Frame referenceFrame;
  private final SortedReference sortedReference;
  private final Frame currentFrame;
  private final Profile referenceProfile;
  private final Profile currentProfile;
  private final Map<String, StatTest> columnTests = new LinkedHashMap<>();
  private StatTest numericTest;
  private StatTest categoricalTest;
  private double driftShare = DEFAULT_DRIFT_SHARE;
  private ProgressListener progress = (column, done, total) -> {};
  private FeatureImportance importance;

  private Drift(Frame rf, SortedReference sr, Frame cf, Profile rp, Profile cp) {
    this.referenceFrame = rf;
    this.sortedReference = sr;
    this.currentFrame = cf;
    this.referenceProfile = rp;
    this.currentProfile = cp;
  }

  /**
   * A comparison of two frames with exact tests on the data. {@link #run()} compares the columns in
   * parallel on one worker thread per core, which it starts and stops; each column is sorted by a
   * radix sort.
   */
  public static Drift between(Frame reference, Frame current) {
    return new Drift(Objects.requireNonNull(reference, "reference"), null, Objects.requireNonNull(current, "current"),
        null, null);
  }

  /** A comparison with exact tests against a reference sorted beforehand, which is not sorted again. */
  public static Drift between(SortedReference reference, Frame current) {
    return new Drift(null, Objects.requireNonNull(reference, "reference"), Objects.requireNonNull(current, "current"),
        null, null);
  }

  /**
   * A comparison of two profiles on their sketches and bins; best when the current profile was made
   * with {@code Profile.against(reference)}, so its numeric columns are counted in the reference's bins.
   */
  public static Drift between(Profile reference, Profile current) {
    return new Drift(null, null, null, Objects.requireNonNull(reference, "reference"),
        Objects.requireNonNull(current, "current"));
  }

  /** Forgets every override: each column gets its test by the default rule and threshold. */
  public Drift defaults() {
    columnTests.clear();
    numericTest = null;
    categoricalTest = null;
    driftShare = DEFAULT_DRIFT_SHARE;
    return this;
  }

  /** Uses this test (and its threshold) for the named column. */
  public Drift test(String column, StatTest test) {
    columnTests.put(Objects.requireNonNull(column, "column"), Objects.requireNonNull(test, "test"));
    return this;
  }

  /** Uses this test for every numeric column that has no test of its own. */
  public Drift numericTest(StatTest test) {
    numericTest = Objects.requireNonNull(test, "test");
    return this;
  }

  /** Uses this test for every categorical column that has no test of its own. */
  public Drift categoricalTest(StatTest test) {
    categoricalTest = Objects.requireNonNull(test, "test");
    return this;
  }

  /**
   * The share of drifted columns from which the dataset counts as drifted (default 0.5).
   *
   * @throws InvalidInputException unless 0 &lt; share ≤ 1
   */
  public Drift driftShare(double share) {
    if (!(share > 0 && share <= 1)) {
      throw new InvalidInputException("drift share " + share + " must be in (0, 1]; 0.5 means half the columns");
    }
    driftShare = share;
    return this;
  }

  /** Tells {@code listener} after each column. */
  public Drift progress(ProgressListener listener) {
    progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Weighs the columns by a model's importance: the report shows each column's share of it, sorts
   * by importance-weighted drift and says which share of the importance sits in drifted columns.
   * See {@link DriftReport#withImportance(FeatureImportance)}.
   */
  public Drift importance(FeatureImportance importance) {
    this.importance = Objects.requireNonNull(importance, "importance");
    return this;
  }

  /**
   * Runs the comparison.
   *
   * @throws InvalidInputException if a test was named for a column neither side has
   */
  public DriftReport run() {
    boolean exact = currentFrame != null;
    List<String> refNames = !exact ? referenceProfile.columnNames()
        : referenceFrame != null ? referenceFrame.columnNames() : sortedReference.columnNames();
    List<String> curNames = exact ? currentFrame.columnNames() : currentProfile.columnNames();
    for (String named : columnTests.keySet()) {
      if (!refNames.contains(named) && !curNames.contains(named)) {
        throw new InvalidInputException("a test was set for column '" + named + "' but neither side has it; "
            + "the reference columns are " + refNames);
      }
    }
    List<String> missing = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    List<ColumnDrift> drifts = new ArrayList<>();
    List<ColumnQuality> quality = new ArrayList<>();
    for (String name : curNames) {
      if (!refNames.contains(name)) {
        added.add(name);
      }
    }
    List<CompletableFuture<Compared>> results = new ArrayList<>();
    // Columns in parallel, one worker per core, owned by this run: sorting bounds the exact tests,
    // and every column sorts on its own.
    ExecutorService workers = exact
        ? Executors.newFixedThreadPool(Math.max(1, Math.min(refNames.size(), Runtime.getRuntime().availableProcessors())))
        : null;
    // Each worker sorts its columns one after the other in the same key arrays.
    ThreadLocal<RadixSort.Scratch> scratch = ThreadLocal.withInitial(RadixSort.Scratch::new);
    try {
      for (String name : refNames) {
        if (!curNames.contains(name)) {
          results.add(CompletableFuture.completedFuture(null));
        } else if (exact) {
          results.add(CompletableFuture.supplyAsync(() -> compareFrames(name, scratch.get()), workers));
        } else {
          results.add(CompletableFuture.completedFuture(compareProfiles(name)));
        }
      }
      report(refNames, results, drifts, quality, missing, mismatched);
    } finally {
      if (workers != null) {
        workers.shutdownNow();
      }
    }
    long referenceRows = !exact ? referenceProfile.rowCount()
        : referenceFrame != null ? referenceFrame.rowCount() : sortedReference.rowCount();
    long currentRows = exact ? currentFrame.rowCount() : currentProfile.rowCount();
    DriftReport report = DriftReport.of(exact ? DriftReport.EXACT : DriftReport.SKETCH, referenceRows, currentRows,
        driftShare, drifts, new DataQuality(missing, added, mismatched, quality));
    return importance == null ? report : report.withImportance(importance);
  }

  /** Collects the columns' results in the reference's order, telling the progress listener after each. */
  private void report(List<String> refNames, List<CompletableFuture<Compared>> results, List<ColumnDrift> drifts,
      List<ColumnQuality> quality, List<String> missing, List<String> mismatched) {
    for (int i = 0; i < refNames.size(); i++) {
      String name = refNames.get(i);
      Compared c = join(results.get(i));
      if (c == null) {
        missing.add(name);
      } else if (c.drift() == null) {
        mismatched.add(name);
      } else {
        drifts.add(c.drift());
        quality.add(c.quality());
      }
      progress.columnDone(name, i + 1, refNames.size());
    }
  }

  private StatTest chosen(String name, boolean numeric) {
    StatTest t = columnTests.get(name);
    return t != null ? t : numeric ? numericTest : categoricalTest;
  }

  /** One column's test and quality; both null when the two sides' types differ. */
  private record Compared(ColumnDrift drift, ColumnQuality quality) {}

  private static Compared join(CompletableFuture<Compared> result) {
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private Compared compareFrames(String name, RadixSort.Scratch scratch) {
    Object r;
    int refRows;
    if (referenceFrame != null) {
      Column column = referenceFrame.column(name);
      r = SortedReference.prepare(column, scratch);
      refRows = column.size();
    } else {
      r = sortedReference.sample(name);
      refRows = sortedReference.size(name);
    }
    Column c = currentFrame.column(name);
    if (r instanceof SortedSample rs && c instanceof NumericColumn cn) {
      SortedSample cs = SortedSample.of(cn, scratch);
      return new Compared(ColumnComparison.numeric(name, rs, cs, chosen(name, true)),
          numericQuality(name, rs, rs.missing(), refRows, cs, cs.missing(), cs.nonFinite(), cn.size()));
    }
    if (r instanceof CategoricalSample rs && c instanceof CategoricalColumn cc) {
      CategoricalSample cs = CategoricalSample.of(cc);
      return new Compared(ColumnComparison.categorical(name, rs, cs, chosen(name, false)),
          categoricalQuality(name, rs, refRows, cs, cc.size()));
    }
    return new Compared(null, null);
  }

  private Compared compareProfiles(String name) {
    ColumnProfile r = referenceProfile.column(name);
    ColumnProfile c = currentProfile.column(name);
    if (r.isNumeric() != c.isNumeric()) {
      return new Compared(null, null);
    }
    if (r.isNumeric()) {
      SketchSample rs = new SketchSample(r);
      SketchSample cs = new SketchSample(c);
      return new Compared(ColumnComparison.numeric(name, rs, cs, chosen(name, true)),
          numericQuality(name, rs, r.missing(), rows(r), cs, c.missing(), c.nonFinite(), rows(c)));
    }
    CategoricalSample rs = CategoricalSample.of(r);
    CategoricalSample cs = CategoricalSample.of(c);
    return new Compared(ColumnComparison.categorical(name, rs, cs, chosen(name, false)),
        categoricalQuality(name, rs, rows(r), cs, rows(c)));
  }

  private static long rows(ColumnProfile p) {
    return p.count() + p.missing() + p.nonFinite();
  }

  private static ColumnQuality numericQuality(String name, NumericSample r, long refMissing, long refRows,
      NumericSample c, long curMissing, long curNonFinite, long curRows) {
    long outside = r.count() == 0 || c.count() == 0 ? 0 : c.countOutside(r.min(), r.max());
    return new ColumnQuality(name, share(refMissing, refRows), share(curMissing, curRows), curNonFinite, outside, 0,
        List.of(), summary(r), summary(c));
  }

  private static ColumnQuality categoricalQuality(String name, CategoricalSample r, long refRows,
      CategoricalSample c, long curRows) {
    List<String> fresh = new ArrayList<>();
    long freshCount = 0;
    for (String k : new java.util.TreeSet<>(c.counts().keySet())) {
      if (r.certainlyLacks(k)) {
        freshCount++;
        if (fresh.size() < ColumnQuality.LISTED_CATEGORIES) {
          fresh.add(k);
        }
      }
    }
    return new ColumnQuality(name, share(r.missing(), refRows), share(c.missing(), curRows), 0, 0, freshCount, fresh,
        Optional.empty(), Optional.empty());
  }

  private static Optional<ColumnSummary> summary(NumericSample s) {
    return s instanceof SortedSample sorted ? Optional.of(sorted.summary()) : Optional.empty();
  }

  private static double share(long missing, long rows) {
    return rows == 0 ? 0 : (double) missing / rows;
  }
}
