package dev.mlops.monitoring;

import dev.mlops.core.CategoricalColumn;
import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NumericColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
  private final Frame currentFrame;
  private final Profile referenceProfile;
  private final Profile currentProfile;
  private final Map<String, StatTest> columnTests = new LinkedHashMap<>();
  private StatTest numericTest;
  private StatTest categoricalTest;
  private double driftShare = DEFAULT_DRIFT_SHARE;
  private ProgressListener progress = (column, done, total) -> {};

  private Drift(Frame rf, Frame cf, Profile rp, Profile cp) {
    this.referenceFrame = rf;
    this.currentFrame = cf;
    this.referenceProfile = rp;
    this.currentProfile = cp;
  }

  /** A comparison of two frames with exact tests on the data. */
  public static Drift between(Frame reference, Frame current) {
    return new Drift(Objects.requireNonNull(reference, "reference"), Objects.requireNonNull(current, "current"),
        null, null);
  }

  /**
   * A comparison of two profiles on their sketches and bins; best when the current profile was made
   * with {@code Profile.against(reference)}, so its numeric columns are counted in the reference's bins.
   */
  public static Drift between(Profile reference, Profile current) {
    return new Drift(null, null, Objects.requireNonNull(reference, "reference"),
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
   * Runs the comparison.
   *
   * @throws InvalidInputException if a test was named for a column neither side has
   */
  public DriftReport run() {
    boolean exact = referenceFrame != null;
    List<String> refNames = exact ? referenceFrame.columnNames() : referenceProfile.columnNames();
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
    int done = 0;
    for (String name : refNames) {
      if (!curNames.contains(name)) {
        missing.add(name);
      } else if (exact) {
        compareFrames(name, drifts, quality, mismatched);
      } else {
        compareProfiles(name, drifts, quality, mismatched);
      }
      progress.columnDone(name, ++done, refNames.size());
    }
    long referenceRows = exact ? referenceFrame.rowCount() : referenceProfile.rowCount();
    long currentRows = exact ? currentFrame.rowCount() : currentProfile.rowCount();
    return DriftReport.of(exact ? DriftReport.EXACT : DriftReport.SKETCH, referenceRows, currentRows, driftShare,
        drifts, new DataQuality(missing, added, mismatched, quality));
  }

  private StatTest chosen(String name, boolean numeric) {
    StatTest t = columnTests.get(name);
    return t != null ? t : numeric ? numericTest : categoricalTest;
  }

  private void compareFrames(String name, List<ColumnDrift> drifts, List<ColumnQuality> quality,
      List<String> mismatched) {
    Column r = referenceFrame.column(name);
    Column c = currentFrame.column(name);
    if (r instanceof NumericColumn rn && c instanceof NumericColumn cn) {
      SortedSample rs = SortedSample.of(rn);
      SortedSample cs = SortedSample.of(cn);
      drifts.add(ColumnComparison.numeric(name, rs, cs, chosen(name, true)));
      quality.add(numericQuality(name, rs, rs.missing(), rn.size(), cs, cs.missing(), cs.nonFinite(), cn.size()));
    } else if (r instanceof CategoricalColumn rc && c instanceof CategoricalColumn cc) {
      CategoricalSample rs = CategoricalSample.of(rc);
      CategoricalSample cs = CategoricalSample.of(cc);
      drifts.add(ColumnComparison.categorical(name, rs, cs, chosen(name, false)));
      quality.add(categoricalQuality(name, rs, rc.size(), cs, cc.size()));
    } else {
      mismatched.add(name);
    }
  }

  private void compareProfiles(String name, List<ColumnDrift> drifts, List<ColumnQuality> quality,
      List<String> mismatched) {
    ColumnProfile r = referenceProfile.column(name);
    ColumnProfile c = currentProfile.column(name);
    if (r.isNumeric() != c.isNumeric()) {
      mismatched.add(name);
    } else if (r.isNumeric()) {
      SketchSample rs = new SketchSample(r);
      SketchSample cs = new SketchSample(c);
      drifts.add(ColumnComparison.numeric(name, rs, cs, chosen(name, true)));
      quality.add(numericQuality(name, rs, r.missing(), rows(r), cs, c.missing(), c.nonFinite(), rows(c)));
    } else {
      CategoricalSample rs = CategoricalSample.of(r);
      CategoricalSample cs = CategoricalSample.of(c);
      drifts.add(ColumnComparison.categorical(name, rs, cs, chosen(name, false)));
      quality.add(categoricalQuality(name, rs, rows(r), cs, rows(c)));
    }
  }

  private static long rows(ColumnProfile p) {
    return p.count() + p.missing() + p.nonFinite();
  }

  private static ColumnQuality numericQuality(String name, NumericSample r, long refMissing, long refRows,
      NumericSample c, long curMissing, long curNonFinite, long curRows) {
    long outside = r.count() == 0 || c.count() == 0 ? 0 : c.countOutside(r.min(), r.max());
    return new ColumnQuality(name, share(refMissing, refRows), share(curMissing, curRows), curNonFinite, outside, 0,
        List.of());
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
    return new ColumnQuality(name, share(r.missing(), refRows), share(c.missing(), curRows), 0, 0, freshCount, fresh);
  }

  private static double share(long missing, long rows) {
    return rows == 0 ? 0 : (double) missing / rows;
  }
}
