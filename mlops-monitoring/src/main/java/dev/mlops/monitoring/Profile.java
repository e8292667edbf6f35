package dev.mlops.monitoring;

import com.google.common.collect.ImmutableMap;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import dev.mlops.monitoring.internal.ValueSketch;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A mergeable summary of a frame, the unit that scales: compute it per partition and {@link
 * #merge merge}, compute the reference's once and reuse it for every window, save it as JSON next
 * to the model. Immutable and thread-safe.
 *
 * <p>Per numeric column: count, missing, ±Inf count, min, max, the exact sum and sum of squares
 * (integer arithmetic; mean and variance are rounded once from them when read), a DDSketch
 * quantile sketch (Datadog's {@code sketches-java}; every quantile within {@link
 * #SKETCH_RELATIVE_ACCURACY} relative error, about 0.78 %), the values themselves while there are
 * at most {@value #EXACT_LIMIT}, exact value counts while a column has at most 64 distinct values,
 * and, for a profile made {@link #against against a reference}, counts in the reference's bins.
 * Per categorical column: counts of at most {@value #CATEGORY_LIMIT} categories, chosen by a fixed
 * hash so that every merge order keeps the same ones, with an overflow bucket for the rest.
 *
 * <p>Every part of a profile is an integer count or an exact quantity, so the same rows in any
 * order, split into any parts and merged in any order, give an equal profile and byte-identical
 * {@link #toJson() JSON}.
 *
 * <pre>{@code
 * Profile reference = Profile.of(trainingFrame);
 * Files.writeString(Path.of("reference-profile.json"), reference.toJson());
 * Profile window = Profile.against(reference).of(lastHour);
 * Profile day = window.merge(Profile.against(reference).of(previousHour));
 * DriftReport report = Drift.between(reference, day).run();
 * }</pre>
 */
public final class Profile {
  /** A numeric column of at most this many finite values keeps them, and its tests are exact. */
  public static final int EXACT_LIMIT = 1024;
  /** The relative accuracy of the quantile sketch: a quantile is within this fraction of a true one. */
  public static final double SKETCH_RELATIVE_ACCURACY = ValueSketch.relativeAccuracy();
  /** The longest JSON text {@link #fromJson(String)} reads: 64 Mi characters. */
  public static final int DEFAULT_MAX_JSON_CHARS = 64 << 20;
  /** How many categories a categorical column keeps before counting the rest as "other". */
  public static final int CATEGORY_LIMIT = 10_000;
  /** The version of the JSON form that {@link #toJson()} writes and {@link #fromJson} reads. */
  public static final int FORMAT_VERSION = 2;

  private final long rowCount;
  private final ImmutableMap<String, ColumnProfile> columns;

  Profile(long rowCount, Map<String, ColumnProfile> columns) {
    this.rowCount = rowCount;
    this.columns = ImmutableMap.copyOf(columns);
  }

  /** The profile of a frame, to be used as a reference. */
  public static Profile of(Frame frame) {
    return new Profiler(null).of(frame);
  }

  /** A profiler of reference profiles, to set options such as a progress listener. */
  public static Profiler profiler() {
    return new Profiler(null);
  }

  /**
   * A profiler that counts numeric columns in the reference's bins, so that the result can be
   * compared with the reference exactly bin by bin.
   */
  public static Profiler against(Profile reference) {
    return new Profiler(Objects.requireNonNull(reference, "reference"));
  }

  /**
   * Reads the JSON form written by {@link #toJson()}, at most {@link #DEFAULT_MAX_JSON_CHARS}
   * characters, checking its format version and digest, then every field: a profile read
   * back is one that rows could have produced, so merging it and comparing it never fails.
   *
   * @throws InvalidInputException if the text is too long, not a profile of this version, or a
   *     field is missing, out of range or inconsistent with the others (the message names it)
   * @throws dev.mlops.core.IntegrityException if the content does not match its digest
   */
  public static Profile fromJson(String json) {
    return fromJson(json, DEFAULT_MAX_JSON_CHARS);
  }

  /** Reads a profile's JSON of at most {@code maxChars} characters; see {@link #fromJson(String)}. */
  public static Profile fromJson(String json, int maxChars) {
    return ProfileJson.read(json, maxChars);
  }

  /** How many rows were profiled. */
  public long rowCount() {
    return rowCount;
  }

  /** The column names, in the order of the profiled frame. */
  public List<String> columnNames() {
    return columns.keySet().asList();
  }

  /** The column profiles by name. */
  public Map<String, ColumnProfile> columns() {
    return columns;
  }

  /**
   * The named column's profile.
   *
   * @throws NotFoundException naming the column and the columns there are
   */
  public ColumnProfile column(String name) {
    ColumnProfile c = columns.get(name);
    if (c == null) {
      throw new NotFoundException("no column '" + name + "' in the profile; the columns are " + columnNames());
    }
    return c;
  }

  /**
   * The profile of both profiles' rows together. Associative and commutative, exactly: the result
   * equals the profile of all the rows at once.
   *
   * @throws InvalidInputException if the profiles have different columns, kinds or bins
   */
  public Profile merge(Profile other) {
    ProfileAccumulator a = ProfileAccumulator.like(this);
    for (ColumnProfile c : other.columns.values()) {
      ColumnProfile mine = columns.get(c.name());
      if (mine != null && !Objects.equals(mine.binning(), c.binning())) {
        throw new InvalidInputException("cannot merge profiles: column '" + c.name() + "' is binned differently "
            + "in each; profile every part against the same reference");
      }
    }
    a.merge(this);
    a.merge(other);
    return a.freeze();
  }

  /** The profile as canonical JSON with a format version and a SHA-256 digest of its content. */
  public String toJson() {
    return ProfileJson.write(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Profile p && p.rowCount == rowCount && p.columns.equals(columns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rowCount, columns);
  }

  @Override
  public String toString() {
    return "Profile[" + rowCount + " rows, columns " + columnNames() + "]";
  }
}
