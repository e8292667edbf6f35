package dev.mlops.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.VariableInfo;

/**
 * What a packaged model takes and gives: its inputs as a {@link Schema} (MLflow's column spec)
 * and its output type with the outputs it knows (the labels of a classifier, the dimension
 * names of a regressor). Immutable.
 *
 * <pre>{@code
 * ModelSignature s = ModelSignature.infer(model);        // every feature a required double
 * ModelSignature t = ModelSignature.of(
 *     Schema.of(Field.of("age", FieldType.LONG), Field.optional("city", FieldType.STRING)),
 *     Label.class, List.of("no", "yes"));
 * String json = t.toJson();
 * }</pre>
 *
 * @param inputs the input columns
 * @param outputType the fully qualified name of the Tribuo {@link Output} class
 * @param outputDomain the outputs the model knows, sorted
 */
public record ModelSignature(Schema inputs, String outputType, List<String> outputDomain) {

  public ModelSignature {
    Objects.requireNonNull(inputs, "inputs");
    if (outputType == null || outputType.isBlank()) {
      throw new InvalidInputException("a signature needs the output type's class name; got '" + outputType + "'");
    }
    outputDomain = ImmutableList.copyOf(new TreeSet<>(Objects.requireNonNull(outputDomain, "outputDomain")));
  }

  /** A signature of these inputs and outputs. */
  public static ModelSignature of(Schema inputs, Class<? extends Output<?>> outputType, List<String> outputDomain) {
    return new ModelSignature(inputs, outputType.getName(), outputDomain);
  }

  /**
   * The signature a model implies: one required {@link FieldType#DOUBLE} input per feature of
   * its feature map, sorted by name, and the output type and domain of its output map.
   *
   * @throws InvalidInputException if the model has no outputs to take the type from
   */
  public static ModelSignature infer(Model<?> model) {
    TreeSet<String> names = new TreeSet<>();
    for (VariableInfo info : model.getFeatureIDMap()) {
      names.add(info.getName());
    }
    List<Field> fields = new ArrayList<>();
    names.forEach(n -> fields.add(Field.of(n, FieldType.DOUBLE)));
    return new ModelSignature(Schema.of(fields), TribuoOutputs.outputClass(model).getName(), TribuoOutputs.domain(model));
  }

  /** The signature as a JSON tree: {@code {"inputs":[column spec],"outputs":{"type":…,"domain":[…]}}}. */
  public ObjectNode toJsonNode() {
    ObjectNode root = CanonicalJson.object();
    root.set("inputs", inputs.toJsonNode());
    ObjectNode outputs = root.putObject("outputs");
    outputs.put("type", outputType);
    outputDomain.forEach(outputs.putArray("domain")::add);
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
    return new ModelSignature(Schema.fromJsonNode(root.get("inputs")), type.asText(), values);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
