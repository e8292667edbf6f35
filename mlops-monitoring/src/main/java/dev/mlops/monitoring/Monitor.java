package dev.mlops.monitoring;

import dev.mlops.core.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a stream of rows and, when labels arrive, of outcomes. Rows are profiled window by
 * window in the reference's bins; each closed window is compared with the reference and its
 * report kept; a window that drifts raises an alert carrying the report. Outcomes feed the
 * concept-drift detectors (by default ADWIN, the best measured trade-off of false alarms and delay,
 * see {@link ConceptDriftDetector}) and the windowed
 * accuracy or mean absolute error. Memory stays constant however many rows pass: only the open
 * window's profile and the last {@code outcomeWindow} outcomes are kept.
 *
 * <p>Windows are compared as profiles ({@code Drift.between(reference, window)} on two
 * {@link Profile}s): the tests read the reference's sketches and bins and the window's counts in
 * those bins, so nothing is sorted, neither per window nor once; the report's
 * {@link DriftReport#method()} says {@code sketch}. For exact tests on the data of a batch, sort the
 * reference once with {@link SortedReference#of} and compare each batch frame with
 * {@link Drift#between(SortedReference, dev.mlops.core.Frame)}.
 *
 * <p>All methods are thread-safe. The comparison of a closed window runs on the thread whose
 * observation closed it, outside the lock other observers wait on; alert listeners are called on
 * that thread too.
 *
 * <p>{@link #close()} stops the monitor: from then on every {@code observe} and
 * {@code observeOutcome} call throws {@link IllegalStateException}, as a closed tracker or model
 * service does. The monitor holds no thread, file or connection (comparisons run on the observing
 * thread), so closing releases nothing; the readers ({@link #state()}, {@link #lastReport()},
 * {@link #accuracy()}, …) keep answering with what was observed before the close, so that a
 * stopped monitor can still be inspected.
 *
 * <pre>{@code
 * try (Monitor monitor = Monitor.builder(reference)
 *     .window(Window.ofCount(1_000))
 *     .onAlert(alert -> log.warn(alert.summary()))
 *     .build()) {
 *   monitor.observe(Map.of("age", 41, "city", "Lyon"));   // for every request
 *   monitor.observeOutcome("yes", "no");                  // when the label arrives
 *   MonitorState state = monitor.state();
 * }
 * }</pre>
 */
public final class Monitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

  private final Profile reference;
  private final Map<String, Binning> bins;
  private final Window window;
  private final Clock clock;
  private final Consumer<Alert> onAlert;
  private final Consumer<Drift> driftSettings;
  private final int outcomeWindow;

  private final Object windowLock = new Object();
  private ProfileAccumulator open;
  private Instant openedAt;
  private long windowsClosed;
  private boolean closed;

  private final Object reportLock = new Object();
  private DriftReport lastReport;
  private long lastReportedWindow;
  private MonitorState dataState = MonitorState.STABLE;

  private final Object outcomeLock = new Object();
  private final List<ConceptDriftDetector> classificationDetectors;
  private final List<ConceptDriftDetector> regressionDetectors;
  private final boolean[] correct;
  private final double[] absoluteErrors;
  private long classified;
  private long regressed;
  private long outcomes;
  private long lastConceptDrift = Long.MIN_VALUE;

  private Monitor(Builder b) {
    this.reference = b.reference;
    this.bins = Profiler.binsOf(b.reference);
    this.window = b.window;
    this.clock = b.clock;
    this.onAlert = b.onAlert;
    this.driftSettings = b.driftSettings;
    this.outcomeWindow = b.outcomeWindow;
    this.open = ProfileAccumulator.against(reference, bins);
    this.classificationDetectors = b.detectors.stream().map(Supplier::get).toList();
    this.regressionDetectors =
        b.detectors.stream().map(Supplier::get).filter(ConceptDriftDetector::acceptsRealValues).toList();
    this.correct = new boolean[outcomeWindow];
    this.absoluteErrors = new double[outcomeWindow];
  }

  /** A builder of a monitor comparing windows with this reference profile. */
  public static Builder builder(Profile reference) {
    return new Builder(Objects.requireNonNull(reference, "reference"));
  }

  /**
   * Observes one row: column name to value (numbers for numeric columns, anything for
   * categorical ones, null or absent for missing). Keys the reference lacks are ignored.
   *
   * @throws InvalidInputException if a numeric column gets a value that is not a number; the
   *     row is then not counted
   * @throws IllegalStateException after {@link #close()}
   */
  public void observe(Map<String, ?> row) {
    Objects.requireNonNull(row, "row");
    Profile finished = null;
    long sequence = 0;
    synchronized (windowLock) {
      ensureOpen("rows");
      Instant now = window.duration().isPresent() ? clock.instant() : null;
      if (now != null) {
        if (openedAt == null) {
          openedAt = now;
        } else if (!now.isBefore(openedAt.plus(window.duration().get())) && open.rows() > 0) {
          finished = rotate();
          sequence = windowsClosed;
          openedAt = now;
        }
      }
      open.addRow(row);
      if (window.count().isPresent() && open.rows() >= window.count().getAsLong()) {
        finished = rotate();
        sequence = windowsClosed;
      }
    }
    if (finished != null) {
      evaluate(finished, sequence);
    }
  }

  /**
   * Observes a whole window at once: a profile made against this monitor's reference
   * ({@code Profile.against(monitor.reference())}), such as a micro-batch profiled where its rows
   * are. It is compared with the reference and reported exactly as a window of observed rows
   * closing with those rows would be, alerting the same way; the open window of rows is left as
   * it is. An empty profile is not a window and is ignored.
   *
   * @throws InvalidInputException if the profile lacks a column of the reference or was not
   *     binned against it
   * @throws IllegalStateException after {@link #close()}
   */
  public void observeWindow(Profile window) {
    Objects.requireNonNull(window, "window");
    for (ColumnProfile c : reference.columns().values()) {
      ColumnProfile w = window.columns().get(c.name());
      if (w == null || w.isNumeric() != c.isNumeric() || !Objects.equals(w.binning(), bins.get(c.name()))) {
        throw new InvalidInputException("the window's profile " + (w == null ? "lacks" : "did not bin") + " column '"
            + c.name() + "' of the reference; profile the window with Profile.against(monitor.reference())");
      }
    }
    long sequence;
    synchronized (windowLock) {
      ensureOpen("windows");
      if (window.rowCount() == 0) {
        return;
      }
      windowsClosed++;
      sequence = windowsClosed;
    }
    evaluate(window, sequence);
  }

  /** The reference profile windows are compared with. */
  public Profile reference() {
    return reference;
  }

  /** Called under the lock of what is observed; {@link #close()} sets the flag under both locks. */
  private void ensureOpen(String what) {
    if (closed) {
      throw new IllegalStateException("the monitor is closed; build a new one to keep observing " + what);
    }
  }

  private Profile rotate() {
    Profile p = open.freeze();
    open = ProfileAccumulator.against(reference, bins);
    windowsClosed++;
    return p;
  }

  /** Compares a closed window; a window that closed earlier but finishes later does not replace a newer report. */
  private void evaluate(Profile window, long sequence) {
    Drift drift = Drift.between(reference, window);
    driftSettings.accept(drift);
    DriftReport report = drift.run();
    MonitorState state = report.datasetDrift() ? MonitorState.DRIFT
        : report.driftedColumns() > 0 ? MonitorState.WARNING : MonitorState.STABLE;
    synchronized (reportLock) {
      if (sequence > lastReportedWindow) {
        lastReportedWindow = sequence;
        lastReport = report;
        dataState = state;
      }
    }
    if (state != MonitorState.STABLE) {
      alert(new Alert(Alert.Kind.DATA_DRIFT, state, clock.instant(), report.summary(), Optional.of(report)));
    }
  }

  private void alert(Alert alert) {
    try {
      onAlert.accept(alert);
    } catch (RuntimeException e) {
      // A failing listener must not break the serving path that observes.
      LOG.error("alert listener failed on: {}", alert.summary(), e);
    }
  }

  /**
   * Observes a classification outcome: the prediction was right when it {@code equals} the label
   * (give both as the same type, e.g. strings).
   * Feeds ADWIN, Page–Hinkley and DDM with 0 (right) or 1 (wrong).
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public void observeOutcome(Object predicted, Object actual) {
    boolean right = Objects.equals(predicted, actual);
    List<Alert> alerts = new ArrayList<>();
    synchronized (outcomeLock) {
      ensureOpen("outcomes");
      correct[(int) (classified % outcomeWindow)] = right;
      classified++;
      feed(classificationDetectors, right ? 0 : 1, alerts);
    }
    alerts.forEach(this::alert);
  }

  /**
   * Observes a regression outcome. Feeds ADWIN and Page–Hinkley with the absolute error.
   *
   * @throws InvalidInputException if either value is not finite
   * @throws IllegalStateException after {@link #close()}
   */
  public void observeOutcome(double predicted, double actual) {
    if (!Double.isFinite(predicted) || !Double.isFinite(actual)) {
      throw new InvalidInputException("a regression outcome needs finite values; got predicted " + predicted
          + " and actual " + actual);
    }
    double error = Math.abs(predicted - actual);
    List<Alert> alerts = new ArrayList<>();
    synchronized (outcomeLock) {
      ensureOpen("outcomes");
      absoluteErrors[(int) (regressed % outcomeWindow)] = error;
      regressed++;
      feed(regressionDetectors, error, alerts);
    }
    alerts.forEach(this::alert);
  }

  private void feed(List<ConceptDriftDetector> detectors, double error, List<Alert> alerts) {
    outcomes++;
    for (ConceptDriftDetector d : detectors) {
      if (d.update(error) == MonitorState.DRIFT) {
        lastConceptDrift = outcomes;
        alerts.add(new Alert(Alert.Kind.CONCEPT_DRIFT, MonitorState.DRIFT, clock.instant(),
            d.name() + " detected a change in the error stream after " + outcomes + " outcomes", Optional.empty()));
      }
    }
  }

  /**
   * The worse of the data state of the last closed window (DRIFT when the dataset drifted,
   * WARNING when some columns did) and the concept state (DRIFT when a detector fired within the
   * last {@code outcomeWindow} outcomes, WARNING while a detector with a warning zone, such as
   * DDM or HDDM, is in it).
   */
  public MonitorState state() {
    MonitorState data;
    synchronized (reportLock) {
      data = dataState;
    }
    MonitorState concept = MonitorState.STABLE;
    synchronized (outcomeLock) {
      if (lastConceptDrift != Long.MIN_VALUE && outcomes - lastConceptDrift < outcomeWindow) {
        concept = MonitorState.DRIFT;
      } else {
        for (ConceptDriftDetector d : classified > 0 ? classificationDetectors : regressionDetectors) {
          if (d.state() == MonitorState.WARNING) {
            concept = MonitorState.WARNING;
          }
        }
      }
    }
    return data.worse(concept);
  }

  /** The report of the last closed window, if a window has closed. */
  public Optional<DriftReport> lastReport() {
    synchronized (reportLock) {
      return Optional.ofNullable(lastReport);
    }
  }

  /** Accuracy over the last {@code outcomeWindow} classification outcomes. */
  public OptionalDouble accuracy() {
    synchronized (outcomeLock) {
      int n = (int) Math.min(classified, outcomeWindow);
      if (n == 0) {
        return OptionalDouble.empty();
      }
      int right = 0;
      for (int i = 0; i < n; i++) {
        right += correct[i] ? 1 : 0;
      }
      return OptionalDouble.of((double) right / n);
    }
  }

  /** Mean absolute error over the last {@code outcomeWindow} regression outcomes. */
  public OptionalDouble meanAbsoluteError() {
    synchronized (outcomeLock) {
      int n = (int) Math.min(regressed, outcomeWindow);
      if (n == 0) {
        return OptionalDouble.empty();
      }
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += absoluteErrors[i];
      }
      return OptionalDouble.of(sum / n);
    }
  }

  /** How many windows have closed. */
  public long windowsClosed() {
    synchronized (windowLock) {
      return windowsClosed;
    }
  }

  /** Rows in the open window. */
  public long openWindowRows() {
    synchronized (windowLock) {
      return open.rows();
    }
  }

  /**
   * Stops observing: every later {@code observe} or {@code observeOutcome} call throws
   * {@link IllegalStateException}; the open window is dropped without a report. Idempotent.
   */
  @Override
  public void close() {
    // Both locks, so that no observation of either kind is counted once close has returned.
    synchronized (windowLock) {
      synchronized (outcomeLock) {
        closed = true;
      }
    }
  }

  /**
   * Builds a {@link Monitor}.
   *
   * <pre>{@code
   * Monitor m = Monitor.builder(reference)
   *     .window(Window.ofDuration(Duration.ofMinutes(5)))
   *     .clock(Clock.systemUTC())
   *     .drift(d -> d.test("age", StatTest.psi()))
   *     .outcomeWindow(500)
   *     .onAlert(alert -> pager.send(alert.summary()))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final Profile reference;
    private Window window = Window.ofCount(1_000);
    private Clock clock = Clock.systemUTC();
    private Consumer<Alert> onAlert = alert -> LOG.warn("{}", alert.summary());
    private Consumer<Drift> driftSettings = drift -> {};
    private int outcomeWindow = 1_000;
    private List<Supplier<ConceptDriftDetector>> detectors =
        List.of(ConceptDriftDetector::adwin);

    private Builder(Profile reference) {
      this.reference = reference;
    }

    /** How windows are cut (default: every 1000 rows). */
    public Builder window(Window window) {
      this.window = Objects.requireNonNull(window, "window");
      return this;
    }

    /** The clock for time windows and alert times (default: the system clock, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Who hears of drift (default: a warning in the log). Called on the observing thread; keep it short. */
    public Builder onAlert(Consumer<Alert> listener) {
      this.onAlert = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Settings applied to each window's comparison, e.g. per-column tests or the drift share. */
    public Builder drift(Consumer<Drift> settings) {
      this.driftSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * How many recent outcomes the accuracy and error are computed over, and how long a concept
     * drift keeps the state at DRIFT (default 1000).
     *
     * @throws InvalidInputException unless n ≥ 1
     */
    public Builder outcomeWindow(int n) {
      if (n < 1) {
        throw new InvalidInputException("the outcome window needs at least 1 outcome; got " + n);
      }
      this.outcomeWindow = n;
      return this;
    }

    /**
     * The concept-drift detectors, each made fresh for classification and (those that read
     * real values) for regression outcomes. Default: ADWIN alone, which in the module README's
     * measurements false-alarmed in 1 of 240 stationary runs where Page–Hinkley did in 8 and DDM in
     * 90, and found an abrupt rise within 69 points on average (HDDM_A: 60, with 47 false alarms).
     *
     * @throws InvalidInputException if none is given
     */
    @SafeVarargs
    public final Builder detectors(Supplier<ConceptDriftDetector>... factories) {
      if (factories.length == 0) {
        throw new InvalidInputException("give at least one concept-drift detector, e.g. ConceptDriftDetector::adwin");
      }
      List<Supplier<ConceptDriftDetector>> given = new ArrayList<>(factories.length);
      for (Supplier<ConceptDriftDetector> factory : factories) {
        given.add(factory);
      }
      this.detectors = List.copyOf(given);
      return this;
    }

    /**
     * The monitor.
     *
     * @throws InvalidInputException if the {@link #drift drift settings} name a column the
     *     reference lacks (they are tried once on the reference against itself)
     */
    public Monitor build() {
      Drift trial = Drift.between(reference, reference);
      driftSettings.accept(trial);
      trial.run();
      return new Monitor(this);
    }
  }
}
