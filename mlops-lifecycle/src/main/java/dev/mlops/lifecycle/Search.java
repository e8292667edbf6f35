package dev.mlops.lifecycle;

import dev.mlops.core.InvalidInputException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Model selection: which settings of the trainer's configurable fields to try, how to score
 * them, and on how many threads. Fields are named as Tribuo's OLCUT configuration names them —
 * {@code epochs}, or a path through nested objects such as
 * {@code optimiser.optimiser.initialLearningRate}; a name without dots that no top-level field
 * has matches the one nested field of that name. Each trial trains a fresh trainer configured
 * from the original's provenance with the trial's values, is scored on a selection slice of the
 * training rows (never on the holdout the gate uses) and is logged as a nested run; the chosen
 * trial's model itself is the candidate, so the model that was scored is the one gated. Without
 * {@link #maximize} or {@link #minimize} a search picks by the task's first metric: the highest
 * {@code accuracy} for a classifier, the lowest {@code rmse} for a regressor. Immutable.
 *
 * <pre>{@code
 * Search.grid("initialLearningRate", 0.05, 0.1, 0.5).and("epochs", 5, 10)    // 6 trials
 *     .maximize("accuracy").threads(2);
 * Search.random(8, 42).uniform("initialLearningRate", 0.01, 1.0).minimize("error_rate");
 * Search.grid("epochs", 5, 10).minimize("rmse");                                // a regressor's
 * }</pre>
 */
public final class Search {
  /** The share of the training rows trials are scored on. */
  static final double SELECTION_SHARE = 0.25;

  private final boolean grid;
  private final int randomTrials;
  private final long seed;
  private final Map<String, List<String>> choices;
  private final Map<String, double[]> ranges;
  private final String metric;
  private final boolean maximize;
  private final int threads;

  private Search(boolean grid, int randomTrials, long seed, Map<String, List<String>> choices,
      Map<String, double[]> ranges, String metric, boolean maximize, int threads) {
    this.grid = grid;
    this.randomTrials = randomTrials;
    this.seed = seed;
    this.choices = choices;
    this.ranges = ranges;
    this.metric = metric;
    this.maximize = maximize;
    this.threads = threads;
  }

  /** Every combination of the values given for each field; start with one field, add others with {@link #and}. */
  public static Search grid(String field, Object... values) {
    return new Search(true, 0, 0, Map.of(), Map.of(), null, true, 1).and(field, values);
  }

  /** {@code trials} draws from the declared ranges and choices, with a seeded generator. */
  public static Search random(int trials, long seed) {
    if (trials < 1) {
      throw new InvalidInputException("a random search needs at least 1 trial; got " + trials);
    }
    return new Search(false, trials, seed, Map.of(), Map.of(), null, true, 1);
  }

  /** No search: the trainer as configured, one trial. */
  static Search none() {
    return new Search(true, 0, 0, Map.of(), Map.of(), null, true, 1);
  }

  /**
   * This search with its metric settled for the task: one named by {@link #maximize} or
   * {@link #minimize} must be one the task scores; none named is the task's first metric
   * ({@code accuracy} maximized for a classifier, {@code rmse} minimized for a regressor).
   */
  Search resolvedFor(Task<?> task) {
    if (metric == null) {
      String m = task.defaultMetric();
      return new Search(grid, randomTrials, seed, choices, ranges, m, Scores.higherIsBetter(m), threads);
    }
    if (!task.metrics().contains(metric)) {
      throw new InvalidInputException("the search picks by '" + metric + "', which a " + task.noun()
          + " is not scored by; pick one of " + task.metrics());
    }
    return this;
  }

  /** Another field with the values to try. */
  public Search and(String field, Object... values) {
    checkField(field);
    if (values.length == 0) {
      throw new InvalidInputException("field '" + field + "' needs at least one value to try");
    }
    Map<String, List<String>> next = new LinkedHashMap<>(choices);
    next.put(field, java.util.Arrays.stream(values).map(v -> String.valueOf(Objects.requireNonNull(v, "value"))).toList());
    return new Search(grid, randomTrials, seed, next, ranges, metric, maximize, threads);
  }

  /** For a random search: a number drawn uniformly from {@code [min, max)}. */
  public Search uniform(String field, double min, double max) {
    checkField(field);
    if (grid) {
      throw new InvalidInputException("uniform ranges belong to Search.random(…); a grid lists its values with and(…)");
    }
    if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
      throw new InvalidInputException("a uniform range needs finite min < max; got [" + min + ", " + max + ")");
    }
    Map<String, double[]> next = new LinkedHashMap<>(ranges);
    next.put(field, new double[] {min, max});
    return new Search(grid, randomTrials, seed, choices, next, metric, maximize, threads);
  }

  /** Picks the trial with the highest value of this metric ({@code accuracy}, {@code macro_f1}; {@code r2} for a regressor). */
  public Search maximize(String metric) {
    return new Search(grid, randomTrials, seed, choices, ranges, Scores.checkMetric(metric), true, threads);
  }

  /** Picks the trial with the lowest value of this metric ({@code error_rate}; {@code rmse}, {@code mae} for a regressor). */
  public Search minimize(String metric) {
    return new Search(grid, randomTrials, seed, choices, ranges, Scores.checkMetric(metric), false, threads);
  }

  /**
   * Runs up to this many trials at once on a pool of its own (default 1). Trials start with the
   * most work first, guessed from the product of their whole-number settings ({@code epochs},
   * trees, depth), so that the threads finish together; the choice does not depend on it.
   */
  public Search threads(int threads) {
    if (threads < 1 || threads > 256) {
      throw new InvalidInputException("a search runs on 1 to 256 threads; got " + threads);
    }
    return new Search(grid, randomTrials, seed, choices, ranges, metric, maximize, threads);
  }

  private static void checkField(String field) {
    if (field == null || field.isBlank() || !field.matches("[A-Za-z_][\\w.]*")) {
      throw new InvalidInputException("a searched field is a configurable field name such as 'epochs' or "
          + "'optimiser.initialLearningRate'; got '" + field + "'");
    }
  }

  String metric() {
    return metric;
  }

  boolean maximizes() {
    return maximize;
  }

  int threadCount() {
    return threads;
  }

  /** The trials, in a fixed order: field name to value as text. */
  List<Map<String, String>> trials() {
    List<Map<String, String>> out = new ArrayList<>();
    if (grid) {
      out.add(Map.of());
      for (Map.Entry<String, List<String>> e : choices.entrySet()) {
        List<Map<String, String>> next = new ArrayList<>();
        for (Map<String, String> partial : out) {
          for (String v : e.getValue()) {
            Map<String, String> m = new LinkedHashMap<>(partial);
            m.put(e.getKey(), v);
            next.add(m);
          }
        }
        out = next;
      }
      return out.stream().map(Map::copyOf).toList();
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int t = 0; t < randomTrials; t++) {
      Map<String, String> m = new LinkedHashMap<>();
      for (Map.Entry<String, double[]> e : ranges.entrySet()) {
        double[] r = e.getValue();
        m.put(e.getKey(), Double.toString(r[0] + random.nextDouble() * (r[1] - r[0])));
      }
      for (Map.Entry<String, List<String>> e : choices.entrySet()) {
        m.put(e.getKey(), e.getValue().get(random.nextInt(e.getValue().size())));
      }
      out.add(Map.copyOf(m));
    }
    return out;
  }

  /**
   * The order to start the trials in: the positions of {@code trials}, those with the most work
   * first, as a scheduler that knows only the settings can guess it — the product of a trial's
   * whole-number settings (epochs, trees, depth, iterations: the fields that make a trainer's work
   * grow), the declared order between equal products. Starting the longest trials first lets a
   * pool's threads finish together instead of one running a long trial alone at the end. Only
   * when trials start changes: their numbers, records and the choice between equal scores follow
   * the declared order.
   */
  static List<Integer> startOrder(List<Map<String, String>> trials) {
    List<BigInteger> work = new ArrayList<>();
    for (Map<String, String> trial : trials) {
      BigInteger w = BigInteger.ONE;
      for (String v : trial.values()) {
        BigInteger whole = wholeNumber(v);
        if (whole != null && whole.signum() > 0) {
          w = w.multiply(whole);
        }
      }
      work.add(w);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < work.size(); i++) {
      order.add(i);
    }
    // a stable sort: equal work keeps the declared order
    order.sort((a, b) -> work.get(b).compareTo(work.get(a)));
    return List.copyOf(order);
  }

  private static BigInteger wholeNumber(String v) {
    try {
      return new BigInteger(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  String fingerprint() {
    StringBuilder s = new StringBuilder(grid ? "grid" : "random(" + randomTrials + "," + seed + ")");
    choices.forEach((k, v) -> s.append(';').append(k).append('=').append(v));
    ranges.forEach((k, v) -> s.append(';').append(k).append("~[").append(v[0]).append(',').append(v[1]).append(')'));
    // the thread count changes how fast, not what is chosen, so it is not part of the fingerprint
    return s.append(metric == null ? ";the task's default metric"
        : String.format(Locale.ROOT, ";%s %s", maximize ? "max" : "min", metric)).toString();
  }

  @Override
  public String toString() {
    return "Search[" + fingerprint() + "; " + threads + " thread(s)]";
  }
}
