package dev.mlops.packaging;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.impl.ArrayExample;

/**
 * Predicts with a packaged model through its {@link ModelSignature}, as MLflow enforces one: a
 * missing required input is an error naming every missing input; inputs the signature does not
 * name are ignored; a value must have its column's type, except that a long (or int) may stand
 * for a double. Numeric inputs become Tribuo features of the column's name; string and boolean
 * inputs become the one-hot feature {@code column@value}, Tribuo's columnar convention.
 * Thread-safe when the model is, as Tribuo's models are for prediction.
 *
 * <pre>{@code
 * Predictor<Label> predictor = pkg.predictor(Label.class);
 * Prediction<Label> p = predictor.predict(Map.of("x1", 0.3, "x2", -1.2));
 * p.getOutput().getLabel();
 * p.getOutputScores();                       // when the model produces scores
 * List<Prediction<Label>> all = predictor.predict(frame);
 * }</pre>
 *
 * @param <T> the model's output type
 */
public final class Predictor<T extends Output<T>> {
  /** The separator between a column's name and its value in a one-hot feature name. */
  public static final String ONE_HOT_SEPARATOR = "@";

  private final Model<T> model;
  private final ModelSignature signature;
  private final RowEncoder<T> encoder;

  Predictor(Model<T> model, ModelSignature signature) {
    this.model = Objects.requireNonNull(model);
    this.signature = Objects.requireNonNull(signature);
    this.encoder = new RowEncoder<>(signature, TribuoOutputs.unknownOutput(model), model.getFeatureIDMap());
  }

  /** A predictor for a model whose output type is known only at run time. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Predictor<?> ofAnyModel(Model<?> model, ModelSignature signature) {
    return new Predictor(model, signature);
  }

  /** The signature this predictor enforces. */
  public ModelSignature signature() {
    return signature;
  }

  /** Whether the predictions carry a score per output (Tribuo's {@code generatesProbabilities}). */
  public boolean hasScores() {
    return model.generatesProbabilities();
  }

  /**
   * Predicts one row given as column name to value.
   *
   * @throws InvalidInputException naming every missing required input, the column, expected
   *     and actual type of a value of the wrong type, or a numeric input that is infinite (a NaN
   *     is a missing value)
   */
  public Prediction<T> predict(Map<String, ?> row) {
    return model.predict(encoder.encode(row, -1));
  }

  /**
   * Predicts every row of a frame, in order. The frame's column types are checked against the
   * signature before any row is read; a {@code long} column may feed a {@code double} input.
   *
   * @throws InvalidInputException naming the missing columns, a column of the wrong type, or
   *     the first row that lacks a required value
   */
  public List<Prediction<T>> predict(Frame frame) {
    List<String> missing = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (Field f : signature.inputs()) {
      if (!frame.hasColumn(f.name())) {
        if (f.required()) {
          missing.add(f.name());
        }
      } else {
        FieldType actual = frame.schema().field(f.name()).type();
        if (!RowEncoder.accepts(f.type(), actual.jsonName())) {
          wrong.add(RowEncoder.wrongType(f, actual.jsonName()));
        }
      }
    }
    encoder.failOn(missing, wrong, -1);
    List<Example<T>> examples = new ArrayList<>(frame.rowCount());
    for (int i = 0; i < frame.rowCount(); i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (Field f : signature.inputs()) {
        if (frame.hasColumn(f.name())) {
          Object v = frame.column(f.name()).value(i);
          boolean isLong = frame.schema().field(f.name()).type() == FieldType.LONG;
          row.put(f.name(), isLong && v instanceof Double d ? (Object) d.longValue() : v);
        }
      }
      examples.add(encoder.encode(row, i));
    }
    return model.predict(examples);
  }
}
