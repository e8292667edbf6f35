package dev.mlops.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;

/**
 * A small {@link Frame} as JSON in MLflow's {@code split} orientation, {@code
 * {"columns":[…],"data":[[…],…]}}, with the frame's column spec under {@code "schema"} so that
 * types survive the round trip. Missing values are {@code null}; long columns are written as
 * integers.
 */
final class InputExampleJson {
  private InputExampleJson() {}

  static byte[] toBytes(Frame frame) {
    ObjectNode root = CanonicalJson.object();
    root.set("schema", frame.schema().toJsonNode());
    ArrayNode columns = root.putArray("columns");
    frame.columnNames().forEach(columns::add);
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < frame.rowCount(); i++) {
      ArrayNode row = data.addArray();
      for (Field f : frame.schema()) {
        Object v = frame.column(f.name()).value(i);
        if (v == null) {
          row.addNull();
        } else if (v instanceof Double d) {
          if (f.type() == FieldType.LONG) {
            row.add(d.longValue());
          } else {
            row.add(d);
          }
        } else if (f.type() == FieldType.BOOLEAN) {
          row.add(Boolean.parseBoolean((String) v));
        } else {
          row.add((String) v);
        }
      }
    }
    return CanonicalJson.toBytes(root);
  }

  static Frame fromBytes(byte[] bytes) {
    JsonNode root = CanonicalJson.parse(bytes);
    Schema schema = Schema.fromJsonNode(root.get("schema"));
    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) {
      throw new InvalidInputException("an input example needs a \"data\" array of rows; got " + root);
    }
    FrameBuilder b = Frame.builder(schema);
    for (JsonNode row : data) {
      Object[] values = new Object[schema.size()];
      for (int j = 0; j < values.length; j++) {
        JsonNode v = row.get(j);
        FieldType type = schema.fields().get(j).type();
        if (v == null || v.isNull()) {
          values[j] = null;
        } else if (type.isNumeric()) {
          values[j] = v.asDouble();
        } else if (type == FieldType.BOOLEAN) {
          values[j] = v.asBoolean();
        } else {
          values[j] = v.asText();
        }
      }
      b.row(values);
    }
    return b.build();
  }
}
