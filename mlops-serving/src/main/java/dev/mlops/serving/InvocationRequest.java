package dev.mlops.serving;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.packaging.ModelSignature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /invocations} into rows, in the formats {@code mlflow models
 * serve} accepts:
 *
 * <ul>
 *   <li>{@code {"dataframe_split": {"columns": [...], "data": [[...], ...]}}} (an {@code "index"}
 *       is allowed and ignored);
 *   <li>{@code {"dataframe_records": [{...}, ...]}};
 *   <li>{@code {"instances": ...}} and {@code {"inputs": ...}}: a list of row objects, or an
 *       object of column name to a list of values (all of one length);
 *   <li>{@code text/csv}: a header line of column names, then one line per row.
 * </ul>
 *
 * <p>JSON numbers become {@code Long} (integral) or {@code Double}, strings {@code String},
 * booleans {@code Boolean}, {@code null} a missing value. A CSV cell is read by the signature's
 * type of its column (a number, {@code true}/{@code false}, or text); an empty cell is missing.
 * The signature's rules are enforced afterwards by the predictor. Messages about malformed JSON
 * or CSV give the line and column and never the parser's own description of its input.
 */
final class InvocationRequest {
  static final String SPLIT = "dataframe_split";
  static final String RECORDS = "dataframe_records";
  static final String INSTANCES = "instances";
  static final String INPUTS = "inputs";
  private static final List<String> FORMATS = List.of(SPLIT, RECORDS, INSTANCES, INPUTS);
  private static final String SHAPES = "send {\"" + SPLIT + "\": {\"columns\": [...], \"data\": [[...]]}}, {\""
      + RECORDS + "\": [{...}]}, {\"" + INSTANCES + "\": [{...}]} or {\"" + INPUTS + "\": {\"column\": [...]}}";
  /**
   * Jackson describes where a structure began as "[Source: ...; line: 1, column: 1]" and names
   * its own settings in back quotes ("from `StreamReadConstraints.getMaxNestingDepth()`"); never
   * pass either on.
   */
  private static final Pattern SOURCE = Pattern.compile(
      "\\s*\\(?start marker at \\[Source:[^\\]]*\\]\\)?|\\s*\\[Source:[^\\]]*\\]|,? from `[^`]*`|`[^`]*`");
  private static final int MAX_REASON = 160;
  private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.FAIL_ON_MISSING_HEADER_COLUMNS).build();

  private InvocationRequest() {}

  /**
   * Reads a JSON body.
   *
   * @throws HttpProblem 400 for an empty body, malformed JSON or a body of another shape; 422
   *     for a value that is an array or object
   */
  static List<Map<String, Object>> parse(byte[] body) {
    if (body.length == 0) {
      throw badRequest("the request body is empty; " + SHAPES);
    }
    JsonNode root;
    JsonParser parser = null;
    try {
      parser = CanonicalJson.reader().createParser(body);
      root = CanonicalJson.reader().readTree(parser);
    } catch (JsonProcessingException e) {
      // A limit of the parser's (nesting, number length) is reported without a location; the parser knows it.
      JsonLocation at = e.getLocation() != null || parser == null ? e.getLocation() : parser.currentLocation();
      throw badRequest("the request body is malformed JSON: " + reason(e) + " at " + where(at));
    } catch (IOException e) {
      throw badRequest("the request body cannot be read as JSON: " + e.getClass().getSimpleName());
    } finally {
      closeQuietly(parser);
    }
    if (root == null || root.isMissingNode()) {
      throw badRequest("the request body holds no JSON value; " + SHAPES);
    }
    if (!root.isObject()) {
      throw badRequest("the request body must be a JSON object; got a JSON "
          + root.getNodeType().name().toLowerCase(Locale.ROOT) + "; " + SHAPES);
    }
    List<String> keys = new ArrayList<>();
    root.fieldNames().forEachRemaining(keys::add);
    if (keys.size() != 1 || !FORMATS.contains(keys.get(0))) {
      throw badRequest("the request body needs exactly one of the keys " + FORMATS + "; it has the keys " + abbreviate(keys.toString()));
    }
    String format = keys.get(0);
    JsonNode content = root.get(format);
    List<Map<String, Object>> rows = switch (format) {
      case SPLIT -> split(content);
      case RECORDS -> records(RECORDS, content);
      default -> tensorInput(format, content);
    };
    if (rows.isEmpty()) {
      throw badRequest("the request holds no rows; send at least one");
    }
    return rows;
  }

  /**
   * Reads a CSV body: a header of column names, then rows.
   *
   * @throws HttpProblem 400 for an empty or malformed body
   */
  static List<Map<String, Object>> parseCsv(byte[] body, ModelSignature signature) {
    if (body.length == 0) {
      throw badRequest("the request body is empty; send a header line of column names, then one line per row");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class)
        .with(CsvSchema.emptySchema().withHeader().withStrictHeaders(false)).readValues(body)) {
      while (it.hasNextValue()) {
        Map<String, String> cells = it.nextValue();
        int r = rows.size();
        Map<String, Object> row = new HashMap<>(cells.size() * 2);
        cells.forEach((column, text) -> row.put(column, cell(signature, column, text, r)));
        rows.add(row);
      }
    } catch (HttpProblem e) {
      throw e;
    } catch (JsonProcessingException e) {
      throw badRequest("the request body is malformed CSV: " + reason(e) + " at " + where(e.getLocation()));
    } catch (IOException | RuntimeException e) {
      throw badRequest("the request body cannot be read as CSV (" + e.getClass().getSimpleName()
          + "); send a header line of column names, then one line per row");
    }
    if (rows.isEmpty()) {
      throw badRequest("the request holds no rows; send a header line of column names, then at least one row");
    }
    return rows;
  }

  private static Object cell(ModelSignature signature, String column, String text, int row) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    Optional<Field> field = signature.inputs().find(column);
    FieldType type = field.map(Field::type).orElse(FieldType.STRING);
    switch (type) {
      case DOUBLE, LONG -> {
        try {
          return Long.parseLong(text.trim());
        } catch (NumberFormatException notLong) {
          try {
            return Double.parseDouble(text.trim());
          } catch (NumberFormatException notNumber) {
            throw new HttpProblem(422, HttpProblem.INVALID_PARAMETER_VALUE, "row " + row + ": input '" + column
                + "' expects type " + type.jsonName() + " but holds '" + abbreviate(text) + "'");
          }
        }
      }
      case BOOLEAN -> {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return t.equals("true") ? Boolean.TRUE : t.equals("false") ? (Object) Boolean.FALSE : text;
      }
      default -> {
        return text;
      }
    }
  }

  private static List<Map<String, Object>> split(JsonNode split) {
    JsonNode columns = split.get("columns");
    JsonNode data = split.get("data");
    if (!split.isObject() || columns == null || !columns.isArray() || data == null || !data.isArray()) {
      throw badRequest("\"" + SPLIT + "\" needs a \"columns\" array of names and a \"data\" array of rows");
    }
    String[] names = new String[columns.size()];
    for (int c = 0; c < names.length; c++) {
      JsonNode name = columns.get(c);
      if (!name.isTextual()) {
        throw badRequest("\"" + SPLIT + "\".columns[" + c + "] is " + abbreviate(name.toString()) + "; column names are strings");
      }
      names[c] = name.textValue();
    }
    List<Map<String, Object>> rows = new ArrayList<>(data.size());
    for (int r = 0; r < data.size(); r++) {
      JsonNode values = data.get(r);
      if (!values.isArray() || values.size() != names.length) {
        throw badRequest("\"" + SPLIT + "\".data[" + r + "] must be an array of " + names.length
            + " values, one per column; got " + abbreviate(values.toString()));
      }
      Map<String, Object> row = new HashMap<>(names.length * 2);
      for (int c = 0; c < names.length; c++) {
        row.put(names[c], value(values.get(c), names[c], r));
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<Map<String, Object>> records(String format, JsonNode records) {
    if (!records.isArray()) {
      throw badRequest("\"" + format + "\" must be an array of objects, one per row");
    }
    List<Map<String, Object>> rows = new ArrayList<>(records.size());
    for (int r = 0; r < records.size(); r++) {
      JsonNode record = records.get(r);
      if (!record.isObject()) {
        throw badRequest("\"" + format + "\"[" + r + "] must be an object of column name to value; got "
            + abbreviate(record.toString()) + ". Rows without column names need " + SPLIT + " with its columns");
      }
      Map<String, Object> row = new HashMap<>(record.size() * 2);
      for (Map.Entry<String, JsonNode> e : record.properties()) {
        row.put(e.getKey(), value(e.getValue(), e.getKey(), r));
      }
      rows.add(row);
    }
    return rows;
  }

  /** {@code instances} and {@code inputs}: row objects, or columns of equal length. */
  private static List<Map<String, Object>> tensorInput(String format, JsonNode content) {
    if (content.isArray()) {
      return records(format, content);
    }
    if (!content.isObject()) {
      throw badRequest("\"" + format + "\" must be an array of row objects or an object of column name to values");
    }
    int length = -1;
    for (Map.Entry<String, JsonNode> column : content.properties()) {
      if (!column.getValue().isArray()) {
        throw badRequest("\"" + format + "\".\"" + abbreviate(column.getKey()) + "\" must be an array of values, one per row");
      }
      if (length >= 0 && column.getValue().size() != length) {
        throw badRequest("the columns of \"" + format + "\" must all have one length; \"" + abbreviate(column.getKey())
            + "\" has " + column.getValue().size() + " values, the columns before it " + length);
      }
      length = column.getValue().size();
    }
    List<Map<String, Object>> rows = new ArrayList<>(Math.max(0, length));
    for (int r = 0; r < length; r++) {
      Map<String, Object> row = new HashMap<>(content.size() * 2);
      for (Map.Entry<String, JsonNode> column : content.properties()) {
        row.put(column.getKey(), value(column.getValue().get(r), column.getKey(), r));
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
            "row " + row + ": input '" + abbreviate(column) + "' holds " + abbreviate(v.toString())
                + "; a value is a number, a string, a boolean or null");
    }
  }

  /** The parser's complaint without any description of the input source, cut short. */
  private static String reason(JsonProcessingException e) {
    String text = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    text = SOURCE.matcher(text).replaceAll("");
    int newline = text.indexOf('\n');
    return abbreviate(newline < 0 ? text : text.substring(0, newline));
  }

  private static void closeQuietly(JsonParser parser) {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException e) {
        // A parser over a byte array holds nothing to release.
      }
    }
  }

  private static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? "an unknown position"
        : "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String abbreviate(String text) {
    return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 3) + "...";
  }

  private static HttpProblem badRequest(String message) {
    return new HttpProblem(400, HttpProblem.MALFORMED_REQUEST, message);
  }
}
