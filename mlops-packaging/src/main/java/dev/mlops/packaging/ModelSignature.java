package dev.mlops.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.CategoricalColumn;
import dev.mlops.core.Column;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NumericColumn;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * What a packaged model takes and gives: its inputs as a {@link Schema} (MLflow's column spec)
 * and its output type with the outputs it knows (the labels of a classifier, the dimension
 * names of a regressor), plus, for numeric inputs whose feature has another name in the model,
 * that name. Immutable.
 *
 * <p>Inputs are raw columns. A string input {@code region} reaches the model as the one-hot
 * feature {@code region@east}; a numeric input reaches it under its own name, or under the name
 * in {@link #features()}, as {@code age} reaches a model trained by Tribuo's {@code
 * CSVDataSource}/{@code RowProcessor} as {@code age@value}.
 *
 * <pre>{@code
 * ModelSignature s = ModelSignature.infer(model);        // from the model's feature names
 * ModelSignature f = ModelSignature.infer(frame, "label"); // from the training frame, as MLflow's infer_signature
 * ModelSignature t = ModelSignature.of(
 *     Schema.of(Field.of("age", FieldType.LONG), Field.optional("city", FieldType.STRING)),
 *     Label.class, List.of("no", "yes"));
 * String json = t.toJson();
 * }</pre>
 *
 * @param inputs the input columns
 * @param outputType the fully qualified name of the Tribuo {@link Output} class
 * @param outputDomain the outputs the model knows, sorted
 * @param features the model's feature name of each numeric input named otherwise in the model
 */
public record ModelSignature(Schema inputs, String outputType, List<String> outputDomain, Map<String, String> features) {
  /** The suffix of a numeric column's feature in Tribuo's columnar readers ({@code age@value}). */
  static final String VALUE_SUFFIX = Predictor.ONE_HOT_SEPARATOR + "value";

  /**
   * @throws InvalidInputException if the output type is blank or a renamed feature is not a
   *     numeric input
   */
  public ModelSignature {
    Objects.requireNonNull(inputs, "inputs");
    if (outputType == null || outputType.isBlank()) {
      throw new InvalidInputException("a signature needs the output type's class name; got '" + outputType + "'");
    }
    outputDomain = ImmutableList.copyOf(new TreeSet<>(Objects.requireNonNull(outputDomain, "outputDomain")));
    features = ImmutableSortedMap.copyOf(Objects.requireNonNull(features, "features"));
    for (Map.Entry<String, String> e : features.entrySet()) {
      if (!inputs.contains(e.getKey()) || !inputs.field(e.getKey()).type().isNumeric() || e.getValue().isEmpty()) {
        throw new InvalidInputException("a signature names feature '" + e.getValue() + "' for '" + e.getKey()
            + "', which is not a numeric input of " + inputs.names() + "; rename only numeric inputs");
      }
    }
  }

  /** A signature whose numeric inputs are the model's features of the same names. */
  public ModelSignature(Schema inputs, String outputType, List<String> outputDomain) {
    this(inputs, outputType, outputDomain, Map.of());
  }

  /** The model's feature name for a numeric input. */
  public String featureName(String input) {
    return features.getOrDefault(input, input);
  }

  /** A signature of these inputs and outputs. */
  public static ModelSignature of(Schema inputs, Class<? extends Output<?>> outputType, List<String> outputDomain) {
    return new ModelSignature(inputs, outputType.getName(), outputDomain);
  }

  /**
   * The signature a model implies, with its features mapped back to raw columns: a feature
   * {@code age@value} (Tribuo's columnar name for a numeric field) is the required
   * {@link FieldType#DOUBLE} input {@code age}; features {@code region@east}, {@code region@west}
   * (one-hot fields) are the required {@link FieldType#STRING} input {@code region}; any other
   * feature is a required double input of its own name. Where a mapping would be ambiguous (a
   * plain feature {@code age} beside {@code age@value}) the features stay inputs of their own
   * names. Inputs are sorted by name; output type and domain come from the output map.
   *
   * @throws InvalidInputException if the model has no outputs to take the type from
   */
  public static ModelSignature infer(Model<?> model) {
    TreeSet<String> names = new TreeSet<>();
    for (VariableInfo info : model.getFeatureIDMap()) {
      names.add(info.getName());
    }
    return new ModelSignature(Schema.of(TribuoColumns.inputs(names)), TribuoOutputs.outputClass(model).getName(),
        TribuoOutputs.domain(model), TribuoColumns.features(names));
  }

  /**
   * The signature of a model trained on a frame's rows, as MLflow's {@code infer_signature}: every
   * column but {@code outputColumn} is an input of the frame's type and requiredness (numeric
   * columns doubles, categorical ones strings), and the output column gives the output: a numeric
   * one a regressor whose dimension is the column, a categorical one a classifier whose domain is
   * its values. A model trained on {@link dev.mlops.core.Frame#toTribuo frame.toTribuo(outputColumn, …)}
   * predicts the frame's rows under it.
   *
   * @throws dev.mlops.core.NotFoundException if the frame has no such column
   */
  public static ModelSignature infer(Frame frame, String outputColumn) {
    Column output = frame.column(outputColumn);
    List<Field> fields = new ArrayList<>();
    for (Field f : frame.schema()) {
      if (!f.name().equals(outputColumn)) {
        fields.add(f);
      }
    }
    Schema inputs = Schema.of(fields);
    if (output instanceof NumericColumn) {
      return new ModelSignature(inputs, Regressor.class.getName(), List.of(outputColumn));
    }
    TreeSet<String> labels = new TreeSet<>();
    CategoricalColumn c = (CategoricalColumn) output;
    for (int i = 0; i < c.size(); i++) {
      if (c.get(i) != null) {
        labels.add(c.get(i));
      }
    }
    return new ModelSignature(inputs, Label.class.getName(), List.copyOf(labels));
  }

  /** The signature as a JSON tree: {@code {"inputs":[column spec],"outputs":{"type":…,"domain":[…]}}}. */
  public ObjectNode toJsonNode() {
    ObjectNode root = CanonicalJson.object();
    root.set("inputs", inputs.toJsonNode());
    ObjectNode outputs = root.putObject("outputs");
    outputs.put("type", outputType);
    outputDomain.forEach(outputs.putArray("domain")::add);
    if (!features.isEmpty()) {
      ObjectNode f = root.putObject("features");
      features.forEach(f::put);
    }
    return root;
  }

  /** The signature as canonical JSON text. */
  public String toJson() {
    return CanonicalJson.toString(toJsonNode());
  }

  /**
   * Reads the JSON form written by {@link #toJson()}.
   *
   * @throws InvalidInputException naming what is missing or malformed
   */
  public static ModelSignature fromJson(String json) {
    return fromJsonNode(CanonicalJson.parse(json));
  }

  static ModelSignature fromJsonNode(JsonNode root) {
    JsonNode outputs = root.path("outputs");
    JsonNode type = outputs.get("type");
    JsonNode domain = outputs.get("domain");
    if (!root.has("inputs") || type == null || !type.isTextual() || domain == null || !domain.isArray()) {
      throw new InvalidInputException(
          "a signature needs \"inputs\" and \"outputs\":{\"type\",\"domain\"}; got " + root);
    }
    List<String> values = new ArrayList<>();
    domain.forEach(d -> values.add(d.asText()));
    Map<String, String> features = new TreeMap<>();
    JsonNode f = root.get("features");
    if (f != null) {
      if (!f.isObject()) {
        throw new InvalidInputException("a signature's \"features\" must map numeric inputs to feature names; got " + f);
      }
      f.properties().forEach(e -> features.put(e.getKey(), e.getValue().asText()));
    }
    return new ModelSignature(Schema.fromJsonNode(root.get("inputs")), type.asText(), values, features);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
