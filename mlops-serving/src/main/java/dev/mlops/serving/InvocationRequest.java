package dev.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of {@code POST /invocations} in MLflow's pandas formats into rows:
 * {@code {"dataframe_split": {"columns": [...], "data": [[...], ...]}}} and
 * {@code {"dataframe_records": [{...}, ...]}}. JSON numbers become {@code Long} (integral) or
 * {@code Double}, strings {@code String}, booleans {@code Boolean}, {@code null} a missing value;
 * the signature's types are enforced afterwards by the predictor.
 */
final class InvocationRequest {
  static final String SPLIT = "dataframe_split";
  static final String RECORDS = "dataframe_records";

  private InvocationRequest() {}

  /**
   * @throws HttpProblem 400 for an empty body, malformed JSON or a body of another shape; 422
   *     for a value that is an array or object
   */
  static List<Map<String, Object>> parse(byte[] body) {
    if (body.length == 0) {
      throw badRequest("the request body is empty; send {\"" + SPLIT + "\": {\"columns\": [...], \"data\": [[...]]}} or {\""
          + RECORDS + "\": [{...}]}");
    }
    JsonNode root;
    try {
      root = CanonicalJson.parse(body);
    } catch (InvalidInputException e) {
      throw badRequest("the request body is " + e.getMessage());
    }
    if (root.isMissingNode()) {
      throw badRequest("the request body holds no JSON value; send a JSON object");
    }
    if (!root.isObject()) {
      throw badRequest("the request body must be a JSON object with \"" + SPLIT + "\" or \"" + RECORDS
          + "\"; got a JSON " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    JsonNode split = root.get(SPLIT);
    JsonNode records = root.get(RECORDS);
    if ((split == null) == (records == null)) {
      List<String> keys = new ArrayList<>();
      root.fieldNames().forEachRemaining(keys::add);
      throw badRequest("the request body needs exactly one of \"" + SPLIT + "\" and \"" + RECORDS + "\"; it has the keys " + keys);
    }
    List<Map<String, Object>> rows = split != null ? split(split) : records(records);
    if (rows.isEmpty()) {
      throw badRequest("the request holds no rows; send at least one");
    }
    return rows;
  }

  private static List<Map<String, Object>> split(JsonNode split) {
    JsonNode columns = split.get("columns");
    JsonNode data = split.get("data");
    if (columns == null || !columns.isArray() || data == null || !data.isArray()) {
      throw badRequest("\"" + SPLIT + "\" needs a \"columns\" array of names and a \"data\" array of rows");
    }
    String[] names = new String[columns.size()];
    for (int c = 0; c < names.length; c++) {
      JsonNode name = columns.get(c);
      if (!name.isTextual()) {
        throw badRequest("\"" + SPLIT + "\".columns[" + c + "] is " + name + "; column names are strings");
      }
      names[c] = name.textValue();
    }
    List<Map<String, Object>> rows = new ArrayList<>(data.size());
    for (int r = 0; r < data.size(); r++) {
      JsonNode values = data.get(r);
      if (!values.isArray() || values.size() != names.length) {
        throw badRequest("\"" + SPLIT + "\".data[" + r + "] must be an array of " + names.length
            + " values, one per column; got " + abbreviate(values));
      }
      Map<String, Object> row = new HashMap<>(names.length * 2);
      for (int c = 0; c < names.length; c++) {
        row.put(names[c], value(values.get(c), names[c], r));
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<Map<String, Object>> records(JsonNode records) {
    if (!records.isArray()) {
      throw badRequest("\"" + RECORDS + "\" must be an array of objects, one per row");
    }
    List<Map<String, Object>> rows = new ArrayList<>(records.size());
    for (int r = 0; r < records.size(); r++) {
      JsonNode record = records.get(r);
      if (!record.isObject()) {
        throw badRequest("\"" + RECORDS + "\"[" + r + "] must be an object of column name to value; got " + abbreviate(record));
      }
      Map<String, Object> row = new HashMap<>(record.size() * 2);
      for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        row.put(e.getKey(), value(e.getValue(), e.getKey(), r));
      }
      rows.add(row);
    }
    return rows;
  }

  private static Object value(JsonNode v, String column, int row) {
    switch (v.getNodeType()) {
      case NUMBER:
        return v.isIntegralNumber() && v.canConvertToLong() ? (Object) v.longValue() : (Object) v.doubleValue();
      case STRING:
        return v.textValue();
      case BOOLEAN:
        return v.booleanValue();
      case NULL:
        return null;
      default:
        throw new HttpProblem(422, HttpProblem.INVALID_PARAMETER_VALUE,
            "row " + row + ": input '" + column + "' holds " + abbreviate(v)
                + "; a value is a number, a string, a boolean or null");
    }
  }

  private static String abbreviate(JsonNode v) {
    String text = v.toString();
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }

  private static HttpProblem badRequest(String message) {
    return new HttpProblem(400, HttpProblem.MALFORMED_REQUEST, message);
  }
}
