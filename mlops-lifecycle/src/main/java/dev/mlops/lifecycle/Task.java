package dev.mlops.lifecycle;

import dev.mlops.core.Frame;
import dev.mlops.core.IntegrityException;
import dev.mlops.packaging.ModelPackage;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.OutputFactory;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.Output;

/**
 * What a life cycle's model predicts — a class label or a number — with what that implies: the
 * Tribuo output type, how the label column becomes outputs, which holdout metrics score it and
 * which of them a search picks by default. The two instances are constants; the casts to the
 * output type live here, once, checked by the builder that pairs a task with its trainer.
 */
abstract class Task<T extends Output<T>> {
  static final Task<Label> CLASSIFICATION = new Classification();
  static final Task<Regressor> REGRESSION = new Regression();

  /** The Tribuo output type. */
  abstract Class<T> outputType();

  abstract OutputFactory<T> factory();

  /** The metrics a holdout scores, the default selection metric first. */
  abstract List<String> metrics();

  /** What a model of this task is called in messages: {@code classifier}, {@code regressor}. */
  abstract String noun();

  /** Whether the label column has the kind this task needs, as a data check. */
  abstract DataCheckResult labelCheck(Frame frame, String label);

  /** The holdout metrics of predictions made for {@code rows}, in order. */
  abstract Map<String, Double> score(Frame rows, String label, List<Prediction<T>> predictions);

  /** The metric a search picks by when it names none. */
  String defaultMetric() {
    return metrics().get(0);
  }

  MutableDataset<T> dataset(Frame rows, String label) {
    return rows.toTribuo(label, factory());
  }

  Map<String, Double> score(Model<?> model, Frame rows, String label) {
    return score(model, dataset(rows, label), rows, label);
  }

  /** The metrics of {@code model} on {@code data}, the data set of {@code rows}, made once for several models. */
  @SuppressWarnings("unchecked")
  Map<String, Double> score(Model<?> model, Dataset<?> data, Frame rows, String label) {
    return score(rows, label, cast(model, "the candidate").predict((Dataset<T>) data));
  }

  Map<String, Double> score(ModelPackage champion, Frame rows, String label) {
    return score(rows, label, champion.predictor(outputType()).predict(rows));
  }

  /** Trains a trainer the builder checked to be of this task. */
  @SuppressWarnings("unchecked")
  Model<T> train(Trainer<?> trainer, Frame rows, String label) {
    return train(trainer, dataset(rows, label));
  }

  /** Trains a trainer the builder checked to be of this task on a data set of this task. */
  @SuppressWarnings("unchecked")
  Model<T> train(Trainer<?> trainer, Dataset<?> data) {
    return ((Trainer<T>) trainer).train((Dataset<T>) data);
  }

  /** Trains with a function the builder checked to be of this task. */
  @SuppressWarnings("unchecked")
  Model<T> train(Function<?, ?> train, Frame rows, String label) {
    return ((Function<Dataset<T>, Model<T>>) train).apply(dataset(rows, label));
  }

  /** The model as a model of this task's output. */
  @SuppressWarnings("unchecked")
  Model<T> cast(Model<?> model, String what) {
    if (!model.validate(outputType())) {
      throw new IntegrityException(what + " is not a " + noun() + ": its model predicts "
          + model.getOutputIDInfo().getClass().getSimpleName());
    }
    return (Model<T>) model;
  }

  @Override
  public String toString() {
    return noun();
  }

  private static final class Classification extends Task<Label> {
    @Override
    Class<Label> outputType() {
      return Label.class;
    }

    @Override
    OutputFactory<Label> factory() {
      return new LabelFactory();
    }

    @Override
    List<String> metrics() {
      return Scores.CLASSIFICATION;
    }

    @Override
    String noun() {
      return "classifier";
    }

    @Override
    DataCheckResult labelCheck(Frame frame, String label) {
      boolean present = frame.hasColumn(label);
      boolean ok = present && !frame.isNumeric(label);
      return new DataCheckResult("label", label, Double.NaN, "categorical", ok, !present ? "the label column is missing"
          : ok ? "present" : "the label column holds numbers; a classifier needs labels (train a regressor for numbers)");
    }

    @Override
    Map<String, Double> score(Frame rows, String label, List<Prediction<Label>> predictions) {
      String[] predicted = predictions.stream().map(p -> p.getOutput().getLabel()).toArray(String[]::new);
      return Scores.of(rows.categorical(label).toArray(), predicted);
    }
  }

  private static final class Regression extends Task<Regressor> {
    @Override
    Class<Regressor> outputType() {
      return Regressor.class;
    }

    @Override
    OutputFactory<Regressor> factory() {
      return new RegressionFactory();
    }

    @Override
    List<String> metrics() {
      return Scores.REGRESSION;
    }

    @Override
    String noun() {
      return "regressor";
    }

    @Override
    DataCheckResult labelCheck(Frame frame, String label) {
      boolean present = frame.hasColumn(label);
      boolean ok = present && frame.isNumeric(label);
      return new DataCheckResult("label", label, Double.NaN, "numeric", ok, !present ? "the label column is missing"
          : ok ? "present" : "the label column holds text; a regressor needs numbers (train a classifier for labels)");
    }

    @Override
    Map<String, Double> score(Frame rows, String label, List<Prediction<Regressor>> predictions) {
      double[] predicted = predictions.stream().mapToDouble(p -> p.getOutput().getValues()[0]).toArray();
      return Scores.regression(rows.numeric(label).toArray(), predicted);
    }
  }
}
