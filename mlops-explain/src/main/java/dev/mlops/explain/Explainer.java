package dev.mlops.explain;

import dev.mlops.core.Field;
import dev.mlops.core.InvalidInputException;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.ModelSignature;
import dev.mlops.packaging.Predictor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Feature;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.regression.Regressor;

/**
 * Explains single predictions of a packaged model: each input's contribution to this answer,
 * ranked. The method follows the model:
 *
 * <ul>
 *   <li>{@code linear}, exact, for Tribuo's linear SGD models (classifiers and regressors): the
 *       contribution of an input is Σ weight × value over its features for the explained output,
 *       and bias + Σ contributions is the model's linear score (for a logistic regression the
 *       logit, before the softmax that gives the probabilities).
 *   <li>{@code lime} for any other classifier that gives probabilities: Tribuo's {@code LIMEBase} samples around the row
 *       from the training statistics the model recorded, weighs the samples by an exponential
 *       kernel and fits a sparse linear surrogate (LARS-lasso) to the class scores; fidelity is
 *       the surrogate's R² on its samples.
 *   <li>{@code surrogate} for any other regressor, and for a classifier without probabilities
 *       (such as a CART tree, whose scores are leaf frequencies), on the label's score: {@code samples} points drawn around the row
 *       (each feature moved by a normal step of its training standard deviation), weighted by
 *       LIME's kernel {@code sqrt(exp(−d²/w²))} on the standardised distance with {@code w =
 *       0.75·√features}, and a weighted least-squares line fitted to the model's predictions;
 *       fidelity is its weighted R².
 * </ul>
 *
 * <p>For both approximate methods an input's contribution is the surrogate's change when that
 * input's features move from their training mean to the row's values, and the base is the
 * surrogate at the training mean, so base + Σ contributions is the surrogate at the row. Every
 * call draws from a generator seeded by {@link #withSeed}, so the same row and seed give the same
 * explanation on any thread. Immutable and thread-safe.
 *
 * <pre>{@code
 * Explainer explainer = Explainer.of(pkg).withSeed(7);
 * Explanation e = explainer.explain(Map.of("sepal_length", 5.9, "sepal_width", 3.0,
 *     "petal_length", 5.1, "petal_width", 1.8));
 * e.top(3).forEach(c -> System.out.println(c.input() + " " + c.contribution()));
 * }</pre>
 */
public final class Explainer {
  /** The default number of samples of the approximate methods. */
  public static final int DEFAULT_SAMPLES = 1000;

  private final Model<?> model;
  private final ModelSignature signature;
  private final Predictor<?> predictor;
  private final FeatureInputs inputs;
  private final String method;
  private final long seed;
  private final int samples;

  private Explainer(Model<?> model, ModelSignature signature, Predictor<?> predictor, String method, long seed,
      int samples) {
    this.model = model;
    this.signature = signature;
    this.predictor = predictor;
    this.inputs = new FeatureInputs(signature);
    this.method = method;
    this.seed = seed;
    this.samples = samples;
  }

  /**
   * An explainer of the package's model, seed 0 and {@value #DEFAULT_SAMPLES} samples.
   *
   * @throws InvalidInputException for a model that is neither a classifier nor a regressor
   */
  public static Explainer of(ModelPackage modelPackage) {
    Model<?> model = modelPackage.model();
    String method;
    if (model instanceof AbstractLinearSGDModel<?>) {
      method = "linear";
    } else if (model.validate(Label.class) && model.generatesProbabilities()) {
      method = "lime";
    } else if (model.validate(Label.class)) {
      method = "surrogate";
    } else if (model.validate(Regressor.class)) {
      method = "surrogate";
    } else {
      throw new InvalidInputException("explanations cover classifiers and regressors; package " + modelPackage.name()
          + " predicts " + modelPackage.signature().outputType());
    }
    return new Explainer(model, modelPackage.signature(), modelPackage.predictor(), method, 0, DEFAULT_SAMPLES);
  }

  /** This explainer with another seed for the approximate methods' samples. */
  public Explainer withSeed(long seed) {
    return new Explainer(model, signature, predictor, method, seed, samples);
  }

  /** This explainer with another number of samples for the approximate methods (at least 10). */
  public Explainer withSamples(int samples) {
    if (samples < 10) {
      throw new InvalidInputException("an explanation needs at least 10 samples; got " + samples);
    }
    return new Explainer(model, signature, predictor, method, seed, samples);
  }

  /** How this explainer explains: {@code linear}, {@code lime} or {@code surrogate}. */
  public String method() {
    return method;
  }

  /**
   * Explains the prediction of one row (column name to value) for the predicted output: the
   * predicted label of a classifier, the first dimension of a regressor.
   *
   * @throws InvalidInputException as the package's predictor refuses the row
   */
  public Explanation explain(Map<String, ?> row) {
    return explain(row, null);
  }

  /**
   * Explains the prediction of one row for a given label or regression dimension.
   *
   * @throws InvalidInputException if the model does not know that output, or as the predictor
   *     refuses the row
   */
  public Explanation explain(Map<String, ?> row, String output) {
    Objects.requireNonNull(row, "row");
    Prediction<?> prediction = predictor.predict(row);
    String predicted = name(prediction.getOutput());
    String explained = output == null ? predicted : output;
    int outputId = outputId(explained);
    Map<String, String> values = values(row);
    return switch (method) {
      case "linear" -> LinearContributions.explain((AbstractLinearSGDModel<?>) model, prediction, predicted, explained,
          outputId, inputs, values);
      case "lime" -> LimeContributions.explain(model, prediction, predicted, explained, inputs, values, seed, samples);
      default -> SurrogateContributions.explain(model, prediction, predicted, explained, inputs, values, seed, samples);
    };
  }

  /** The row's value of every input, as text, in signature order; empty for a missing one. */
  private Map<String, String> values(Map<String, ?> row) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Field f : signature.inputs()) {
      Object v = row.get(f.name());
      values.put(f.name(), v == null || (v instanceof Double d && d.isNaN()) ? "" : v.toString());
    }
    return values;
  }

  private int outputId(String name) {
    List<String> known = new ArrayList<>();
    for (var pair : model.getOutputIDInfo()) {
      String n = name(pair.getB());
      if (n.equals(name)) {
        return pair.getA();
      }
      known.add(n);
    }
    throw new InvalidInputException("the model has no output '" + name + "'; its outputs are " + known);
  }

  /** A label's name or a regression dimension's name. */
  static String name(Output<?> output) {
    if (output instanceof Label label) {
      return label.getLabel();
    }
    if (output instanceof Regressor r) {
      return r.getNames()[0];
    }
    return output.getSerializableForm(false);
  }

  /** A regressor's value in the named dimension. */
  static double dimension(Regressor r, String name) {
    String[] names = r.getNames();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return r.getValues()[i];
      }
    }
    throw new InvalidInputException("the regressor has no dimension '" + name + "'; its dimensions are "
        + java.util.Arrays.toString(names));
  }

  /** The features of an example, by name. */
  static Map<String, Double> features(Prediction<?> prediction) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Feature f : prediction.getExample()) {
      out.put(f.getName(), f.getValue());
    }
    return out;
  }

  /** Contributions per input, every input of the signature listed (0 when it moved nothing). */
  static List<Contribution> contributions(Map<String, String> values, Map<String, Double> byInput) {
    List<Contribution> out = new ArrayList<>(values.size());
    values.forEach((input, value) -> out.add(new Contribution(input, value, byInput.getOrDefault(input, 0.0))));
    return out;
  }
}
