package dev.mlops.monitoring;

import dev.mlops.core.Frame;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Profiles frames, optionally in the bins of a reference profile so that a window can be compared
 * with the reference without the reference's data. Obtained from {@link Profile#against(Profile)}
 * or {@link Profile#profiler()}; immutable and thread-safe.
 *
 * <pre>{@code
 * Profile reference = Profile.fromJson(Files.readString(Path.of("reference-profile.json")));
 * Profile today = Profile.against(reference).of(todaysFrame);
 * DriftReport report = Drift.between(reference, today).run();
 * }</pre>
 */
public final class Profiler {
  private final Map<String, Binning> bins;
  private final ProgressListener progress;

  Profiler(Profile reference) {
    this(reference == null ? Map.of() : binsOf(reference), (column, done, total) -> {});
  }

  private Profiler(Map<String, Binning> bins, ProgressListener progress) {
    this.bins = bins;
    this.progress = progress;
  }

  /** The same profiler, telling {@code listener} after each column it profiles. */
  public Profiler progress(ProgressListener listener) {
    return new Profiler(bins, Objects.requireNonNull(listener, "listener"));
  }

  static Map<String, Binning> binsOf(Profile reference) {
    Map<String, Binning> bins = new LinkedHashMap<>();
    for (ColumnProfile c : reference.columns().values()) {
      if (c.isNumeric()) {
        bins.put(c.name(), Binning.of(c));
      }
    }
    return bins;
  }

  /** The profile of a frame; numeric columns the reference also has numeric are counted in its bins. */
  public Profile of(Frame frame) {
    Objects.requireNonNull(frame, "frame");
    ProfileAccumulator a = ProfileAccumulator.forFrame(frame, bins);
    a.addFrame(frame, progress);
    return a.freeze();
  }
}
