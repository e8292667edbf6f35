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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test suite in Evidently's sense: data drift of the features, target and prediction drift,
 * classification or regression quality on both sides, and pass/fail conditions on any of these
 * values. A categorical target makes it classification, a numeric one regression; class scores
 * (for the log loss) are the numeric columns named {@code prefix + class}. The target, prediction
 * and score columns are left out of the features' drift.
 *
 * <p>Values a condition can name: {@code accuracy}, {@code precision}, {@code recall},
 * {@code f1} (macro averages), {@code precision:CLASS}, {@code recall:CLASS}, {@code f1:CLASS},
 * {@code log_loss}; {@code mae}, {@code rmse}, {@code mape}, {@code r2}, {@code mean_error};
 * {@code drifted_share}, {@code drifted_columns}; {@code target_drift} and
 * {@code prediction_drift} (the drift statistic of that column); {@code missing_share:COLUMN}.
 * All are read on the current data. A command line passes conditions as text with
 * {@link #condition(String)}, such as {@code "accuracy >= 0.9"}, and exits with
 * {@link CheckReport#exitStatus()}.
 *
 * <pre>{@code
 * CheckReport report = Check.between(reference, current)
 *     .target("label").prediction("predicted").scores("score_")
 *     .condition("accuracy", Condition.atLeast(0.9))
 *     .driftedShare(Condition.atMost(0.3))
 *     .column("age").missingShare(Condition.atMost(0.05))
 *     .run();
 * if (!report.passed()) System.err.println(report.failures());
 * }</pre>
 */
public final class Check {
  static final Set<String> VALUES = Set.of("accuracy", "precision", "recall", "f1", "log_loss", "mae", "rmse", "mape",
      "r2", "mean_error", "drifted_share", "drifted_columns", "target_drift", "prediction_drift");
  static final Set<String> PER_CLASS = Set.of("precision", "recall", "f1");
  static final String MISSING_SHARE = "missing_share";
  private static final Pattern EXPRESSION =
      Pattern.compile("\\s*(\\S+?)\\s*(>=|<=|≥|≤)\\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\\s*");

  private final Frame reference;
  private final Frame current;
  private String target;
  private String prediction;
  private String scorePrefix;
  private Consumer<Drift> driftSettings = d -> {};
  private final Map<String, Condition> conditions = new LinkedHashMap<>();

  private Check(Frame reference, Frame current) {
    this.reference = reference;
    this.current = current;
  }

  /** A check of {@code current} against {@code reference}. */
  public static Check between(Frame reference, Frame current) {
    return new Check(Objects.requireNonNull(reference, "reference"), Objects.requireNonNull(current, "current"));
  }

  /** The column of true labels or target values. */
  public Check target(String column) {
    this.target = Objects.requireNonNull(column, "column");
    return this;
  }

  /** The column of predicted labels or values. */
  public Check prediction(String column) {
    this.prediction = Objects.requireNonNull(column, "column");
    return this;
  }

  /** Class scores for the log loss: the numeric columns named {@code prefix + class}. */
  public Check scores(String prefix) {
    this.scorePrefix = Objects.requireNonNull(prefix, "prefix");
    return this;
  }

  /** Settings for the features' drift, such as per-column tests or the dataset drift share. */
  public Check drift(Consumer<Drift> settings) {
    this.driftSettings = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /**
   * A condition on a named value (see the class comment); a later condition on the same value
   * replaces the earlier one.
   *
   * @throws InvalidInputException if no value has that name
   */
  public Check condition(String value, Condition condition) {
    Objects.requireNonNull(condition, "condition");
    conditions.put(checkedName(value), condition);
    return this;
  }

  /**
   * A condition written as text, {@code NAME >= NUMBER} or {@code NAME <= NUMBER} (≥ and ≤ too),
   * as a command line receives it.
   *
   * @throws InvalidInputException if the text is not of that form or names no value
   */
  public Check condition(String expression) {
    Matcher m = EXPRESSION.matcher(Objects.requireNonNull(expression, "expression"));
    if (!m.matches()) {
      throw new InvalidInputException("cannot read the condition '" + expression
          + "'; write NAME >= NUMBER or NAME <= NUMBER, e.g. 'accuracy >= 0.9' or 'missing_share:age <= 0.05'");
    }
    double bound;
    try {
      bound = Double.parseDouble(m.group(3));
    } catch (NumberFormatException e) {
      throw new InvalidInputException("the bound '" + m.group(3) + "' of the condition '" + expression
          + "' is not a number");
    }
    String op = m.group(2);
    return condition(m.group(1), op.equals(">=") || op.equals("≥") ? Condition.atLeast(bound) : Condition.atMost(bound));
  }

  /** A condition on the share of drifted feature columns. */
  public Check driftedShare(Condition condition) {
    return condition("drifted_share", condition);
  }

  /** Conditions on one column. */
  public ColumnConditions column(String name) {
    return new ColumnConditions(Objects.requireNonNull(name, "name"));
  }

  /** The conditions that can be set on one column. */
  public final class ColumnConditions {
    private final String column;

    private ColumnConditions(String column) {
      this.column = column;
    }

    /** A condition on the column's share of missing values in the current data. */
    public Check missingShare(Condition condition) {
      return condition(MISSING_SHARE + ":" + column, condition);
    }
  }

  private static String checkedName(String value) {
    Objects.requireNonNull(value, "value");
    int colon = value.indexOf(':');
    String base = colon < 0 ? value : value.substring(0, colon);
    boolean known = colon < 0 ? VALUES.contains(value)
        : (PER_CLASS.contains(base) || base.equals(MISSING_SHARE)) && colon < value.length() - 1;
    if (!known) {
      throw new InvalidInputException("no value named '" + value + "' to set a condition on; the values are "
          + new java.util.TreeSet<>(VALUES) + ", precision:CLASS, recall:CLASS, f1:CLASS and missing_share:COLUMN");
    }
    return value;
  }

  /**
   * Runs the drift tests, computes the quality on each side and evaluates the conditions.
   *
   * @throws InvalidInputException if a named target, prediction or score column is missing from
   *     both frames or the target and prediction differ in type
   */
  public CheckReport run() {
    for (String named : new String[] {target, prediction}) {
      if (named != null && !reference.columnNames().contains(named) && !current.columnNames().contains(named)) {
        throw new InvalidInputException("neither frame has the column '" + named + "'; the reference's columns are "
            + reference.columnNames());
      }
    }
    List<String> special = new ArrayList<>();
    if (target != null) {
      special.add(target);
    }
    if (prediction != null) {
      special.add(prediction);
    }
    List<String> features = new ArrayList<>();
    for (String c : reference.columnNames()) {
      if (!special.contains(c) && (scorePrefix == null || !c.startsWith(scorePrefix))) {
        features.add(c);
      }
    }
    List<String> currentFeatures = new ArrayList<>();
    for (String c : current.columnNames()) {
      if (!special.contains(c) && (scorePrefix == null || !c.startsWith(scorePrefix))) {
        currentFeatures.add(c);
      }
    }
    Drift featureDrift = Drift.between(reference.select(features), current.select(currentFeatures));
    driftSettings.accept(featureDrift);
    DriftReport drift = featureDrift.run();
    Optional<ColumnDrift> targetDrift = columnDrift(target);
    Optional<ColumnDrift> predictionDrift = columnDrift(prediction);
    Quality ref = quality(reference);
    Quality cur = quality(current);
    return CheckReport.of(drift, targetDrift, predictionDrift, ref.classification, cur.classification,
        ref.regression, cur.regression, conditions, target, prediction);
  }

  private Optional<ColumnDrift> columnDrift(String column) {
    if (column == null || !reference.columnNames().contains(column) || !current.columnNames().contains(column)) {
      return Optional.empty();
    }
    Drift d = Drift.between(reference.select(column), current.select(column));
    driftSettings.accept(d);
    return d.run().columns().stream().findFirst();
  }

  /** One side's quality: at most one of the two is present. */
  private record Quality(Optional<ClassificationQuality> classification, Optional<RegressionQuality> regression) {}

  private Quality quality(Frame frame) {
    if (target == null || prediction == null || !frame.columnNames().contains(target)
        || !frame.columnNames().contains(prediction)) {
      return new Quality(Optional.empty(), Optional.empty());
    }
    Column t = frame.column(target);
    Column p = frame.column(prediction);
    if (t instanceof CategoricalColumn tc && p instanceof CategoricalColumn pc) {
      return new Quality(Optional.of(ClassificationQuality.of(strings(tc), strings(pc), scores(frame))),
          Optional.empty());
    }
    if (t instanceof NumericColumn tn && p instanceof NumericColumn pn) {
      return new Quality(Optional.empty(), Optional.of(RegressionQuality.of(tn.toArray(), pn.toArray())));
    }
    throw new InvalidInputException("the target '" + target + "' and the prediction '" + prediction
        + "' must both be categorical (classification) or both numeric (regression)");
  }

  private Map<String, double[]> scores(Frame frame) {
    Map<String, double[]> scores = new TreeMap<>();
    if (scorePrefix == null) {
      return scores;
    }
    for (String c : frame.columnNames()) {
      if (c.startsWith(scorePrefix) && c.length() > scorePrefix.length()) {
        if (!(frame.column(c) instanceof NumericColumn n)) {
          throw new InvalidInputException("score column '" + c + "' must be numeric");
        }
        scores.put(c.substring(scorePrefix.length()), n.toArray());
      }
    }
    if (scores.isEmpty()) {
      throw new InvalidInputException("no column starts with the score prefix '" + scorePrefix + "'; the columns are "
          + frame.columnNames());
    }
    return scores;
  }

  private static String[] strings(CategoricalColumn c) {
    String[] out = new String[c.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = c.get(i);
    }
    return out;
  }
}
