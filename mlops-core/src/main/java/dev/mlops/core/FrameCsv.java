package dev.mlops.core;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** CSV reading and writing for {@link Frame}, on Jackson's CSV module. */
final class FrameCsv {

  /** The most rows a frame holds: the largest array a JVM allocates. */
  static final int MAX_ROWS = Integer.MAX_VALUE - 8;

  private FrameCsv() {}

  /**
   * Whether a cell is a number: {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?}, or
   * {@code [+-]?(Infinity|inf|Inf|INF)}, {@code NaN}, {@code nan}, around blanks. Scanned by hand,
   * in place, rather than by a regular expression or on stripped copies: every cell of a numeric
   * column is checked, and the matcher, then the copies, were much of a CSV read's time.
   */
  static boolean isNumber(String cell) {
    int from = 0;
    int to = cell.length();
    while (from < to && Character.isWhitespace(cell.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(cell.charAt(to - 1))) {
      to--;
    }
    if (is(cell, from, to, "NaN") || is(cell, from, to, "nan")) {
      return true;
    }
    int i = from;
    if (i < to && (cell.charAt(i) == '+' || cell.charAt(i) == '-')) {
      i++;
    }
    if (is(cell, i, to, "Infinity") || is(cell, i, to, "inf") || is(cell, i, to, "Inf") || is(cell, i, to, "INF")) {
      return true;
    }
    int intDigits = digits(cell, i, to);
    i += intDigits;
    int fracDigits = 0;
    if (i < to && cell.charAt(i) == '.') {
      i++;
      fracDigits = digits(cell, i, to);
      i += fracDigits;
    }
    if (intDigits == 0 && fracDigits == 0) {
      return false;
    }
    if (i < to && (cell.charAt(i) == 'e' || cell.charAt(i) == 'E')) {
      i++;
      if (i < to && (cell.charAt(i) == '+' || cell.charAt(i) == '-')) {
        i++;
      }
      int expDigits = digits(cell, i, to);
      if (expDigits == 0) {
        return false;
      }
      i += expDigits;
    }
    return i == to;
  }

  /** Whether {@code s[from, to)} is exactly {@code word}. */
  private static boolean is(String s, int from, int to, String word) {
    return to - from == word.length() && s.startsWith(word, from);
  }

  /** The number of ASCII digits in {@code s} from {@code from}, before {@code to}. */
  private static int digits(String s, int from, int to) {
    int i = from;
    while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i - from;
  }

  /**
   * The value of a cell {@link #isNumber} accepts. Decimal literals are read by Jackson's port of
   * FastDoubleParser, which rounds exactly as {@link Double#parseDouble} does at a fraction of its
   * cost on the 17-digit values that written doubles have (the JDK's slow path was a third of a
   * numeric CSV's read).
   */
  static double parseNumber(String cell) {
    String s = cell.strip();
    if (s.endsWith("nf") || s.endsWith("NF")) {
      return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (s.equals("nan")) {
      return Double.NaN;
    }
    return NumberInput.parseDouble(s, true);
  }

  /** One parsed record with the line it started on. */
  private record Record(long line, List<String> cells) {}

  static Frame read(Reader in, String source, Schema given, CsvLimits limits) {
    CsvFactory factory = CsvFactory.builder()
        .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(limits.maxCellChars()).build())
        .build();
    List<String> header;
    List<Record> records = new ArrayList<>();
    try (CsvInput input = in instanceof CsvInput c ? c : CsvInput.of(in, source, limits);
        CsvParser p = factory.createParser(input)) {
      p.setSchema(CsvSchema.emptySchema());
      Record first = next(p, source, limits);
      if (first == null) {
        throw new InvalidInputException(source + ": the CSV is empty; it needs a header row");
      }
      header = first.cells();
      Set<String> seen = new HashSet<>();
      for (int j = 0; j < header.size(); j++) {
        String h = header.get(j);
        if (h.isEmpty() || !seen.add(h)) {
          throw new InvalidInputException(
              source + ": line " + first.line() + ", column " + (j + 1) + ": header '" + h
                  + "' is empty or repeated; give every column a unique name");
        }
      }
      Record r;
      while ((r = next(p, source, limits)) != null) {
        if (r.cells().size() != header.size()) {
          throw new InvalidInputException(
              source + ": line " + r.line() + " has " + r.cells().size() + " cells but the header has "
                  + header.size() + "; fix the row or quote cells that contain commas");
        }
        if (records.size() == MAX_ROWS) {
          throw new InvalidInputException(source + ": line " + r.line() + ": a frame holds at most " + MAX_ROWS
              + " rows; split the file");
        }
        records.add(r);
      }
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(source + ": the CSV's characters cannot be decoded (" + e
          + "); save it as UTF-8", e);
    } catch (IOException e) {
      throw new StoreUnavailableException(source + ": cannot read the CSV: " + e.getMessage(), e);
    }
    Schema schema = given == null ? infer(header, records) : checkHeader(source, header, given);
    return build(source, schema, header, records);
  }

  private static Record next(CsvParser p, String source, CsvLimits limits) throws IOException {
    List<String> cells = new ArrayList<>();
    try {
      // Without a schema Jackson exposes each record as an array of strings.
      JsonToken t = p.nextToken();
      if (t == null) {
        return null;
      }
      long line = -1;
      long chars = 0;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
        if (line < 0) {
          line = p.currentTokenLocation().getLineNr();
        }
        String cell = p.getText();
        chars += cell.length();
        if (chars > limits.maxRecordChars()) {
          throw new InvalidInputException(source + ": line " + line + ", column " + (cells.size() + 1)
              + ": the record is longer than the limit of " + limits.maxRecordChars()
              + " characters; raise CsvLimits.maxRecordChars to read it");
        }
        if (cells.size() == limits.maxColumns()) {
          throw new InvalidInputException(source + ": line " + line + " has more than the limit of "
              + limits.maxColumns() + " cells; raise CsvLimits.maxColumns to read it");
        }
        cells.add(cell);
      }
      return new Record(line, cells);
    } catch (StreamConstraintsException e) {
      throw new InvalidInputException(source + ": line " + p.currentLocation().getLineNr() + ", column "
          + (cells.size() + 1) + ": a cell is longer than the limit of " + limits.maxCellChars()
          + " characters; raise CsvLimits.maxCellChars to read it", e);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation() != null ? e.getLocation() : p.currentLocation();
      throw new InvalidInputException(source + ": malformed CSV at line " + at.getLineNr() + ", column "
          + (cells.size() + 1) + ": " + e.getOriginalMessage(), e);
    }
  }

  private static Schema infer(List<String> header, List<Record> records) {
    List<Field> fields = new ArrayList<>();
    for (int j = 0; j < header.size(); j++) {
      boolean numeric = true;
      boolean anyMissing = false;
      for (Record r : records) {
        String cell = r.cells().get(j);
        if (cell.isEmpty()) {
          anyMissing = true;
        } else if (numeric && !isNumber(cell)) {
          numeric = false;
        }
      }
      fields.add(new Field(header.get(j), numeric ? FieldType.DOUBLE : FieldType.STRING, !anyMissing));
    }
    return Schema.of(fields);
  }

  private static Schema checkHeader(String source, List<String> header, Schema schema) {
    for (String h : header) {
      if (!schema.contains(h)) {
        throw new InvalidInputException(
            source + ": column '" + h + "' is not in the schema " + schema.names() + "; remove it or add it to the schema");
      }
    }
    for (String n : schema.names()) {
      if (!header.contains(n)) {
        throw new InvalidInputException(source + ": the header lacks column '" + n + "' of the schema");
      }
    }
    return schema;
  }

  private static Frame build(String source, Schema schema, List<String> header, List<Record> records) {
    int n = records.size();
    List<Column> cols = new ArrayList<>();
    for (Field f : schema) {
      int j = header.indexOf(f.name());
      if (f.type().isNumeric()) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          String cell = records.get(i).cells().get(j);
          if (cell.isEmpty()) {
            v[i] = Double.NaN;
          } else if (isNumber(cell)) {
            v[i] = parseNumber(cell);
          } else {
            throw new InvalidInputException(
                source + ": line " + records.get(i).line() + ", column '" + f.name() + "': '" + cell
                    + "' is not a number; fix the cell or declare the column as string");
          }
        }
        cols.add(new NumericColumn(f.name(), v, 0, n));
      } else {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
          String cell = records.get(i).cells().get(j);
          if (f.type() == FieldType.BOOLEAN && !cell.isEmpty()) {
            cell = parseBoolean(source, records.get(i).line(), f.name(), cell);
          }
          v[i] = cell.isEmpty() ? null : cell;
        }
        cols.add(new CategoricalColumn(f.name(), v, 0, n));
      }
    }
    return new Frame(schema, cols, n);
  }

  private static String parseBoolean(String source, long line, String column, String cell) {
    String s = cell.strip().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return s;
    }
    throw new InvalidInputException(
        source + ": line " + line + ", column '" + column + "': '" + cell + "' is not true or false");
  }

  static void write(Frame frame, Writer out) throws IOException {
    CsvMapper mapper = new CsvMapper();
    // Quoting missing cells keeps a row of a one-column frame from becoming a blank line, which
    // readers skip.
    mapper.enable(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS);
    try (CsvGenerator g = mapper.getFactory().createGenerator(out)) {
      CsvSchema.Builder sb = CsvSchema.builder();
      frame.columnNames().forEach(sb::addColumn);
      g.setSchema(sb.build().withHeader());
      for (int i = 0; i < frame.rowCount(); i++) {
        g.writeStartArray();
        for (Column c : frame.columns()) {
          if (c instanceof NumericColumn num) {
            double v = num.get(i);
            g.writeString(Double.isNaN(v) ? "" : Double.toString(v));
          } else {
            String v = ((CategoricalColumn) c).get(i);
            g.writeString(v == null ? "" : v);
          }
        }
        g.writeEndArray();
      }
    }
  }
}
