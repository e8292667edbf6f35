package dev.mlops.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.monitoring.internal.Categories;
import dev.mlops.monitoring.internal.DistinctValues;
import dev.mlops.monitoring.internal.ExactMoments;
import dev.mlops.monitoring.internal.ExactSums;
import dev.mlops.monitoring.internal.ValueCounts;
import dev.mlops.monitoring.internal.ValueSketch;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON form of a {@link Profile}: format name, version, content digest, columns in order.
 * Reading checks the digest, then every field against the others, so that a profile read back
 * is one that rows could have produced: whatever a digest-correct file holds, merging and
 * comparing what was accepted cannot fail.
 */
final class ProfileJson {
  static final String FORMAT = "mlops-profile";

  private static final Pattern EXACT = Pattern.compile("(-?)0x(0|[1-9a-f][0-9a-f]*)p(-?[0-9]{1,5})");
  // The exact sums hold at most this many hexadecimal digits: 2^63 values of the largest
  // magnitude, in units of the smallest subnormal (and its square).
  private static final int MAX_SUM_CHARS = 600;
  private static final int MAX_SQUARES_CHARS = 1_200;
  private static final int MAX_BIN_BOUNDS = 64;
  private static final int MAX_NAME_CHARS = 10_000;
  private static final Set<String> TOP_KEYS = Set.of("format", "version", "rowCount", "columns", "sha256");
  private static final Set<String> NUMERIC_KEYS = Set.of("name", "type", "missing", "nonFinite", "count", "min",
      "max", "sum", "sumOfSquares", "sketch", "values", "distinct", "bins");
  private static final Set<String> CATEGORICAL_KEYS = Set.of("name", "type", "missing", "categories", "overflow",
      "limit");

  private ProfileJson() {}

  static String write(Profile profile) {
    ObjectNode body = CanonicalJson.object();
    body.put("format", FORMAT);
    body.put("version", Profile.FORMAT_VERSION);
    body.put("rowCount", profile.rowCount());
    ArrayNode columns = body.putArray("columns");
    for (ColumnProfile c : profile.columns().values()) {
      columns.add(column(c));
    }
    body.put("sha256", Digest.of(CanonicalJson.toString(body)).hex());
    return CanonicalJson.toString(body);
  }

  private static ObjectNode column(ColumnProfile c) {
    ObjectNode o = CanonicalJson.object();
    o.put("name", c.name());
    o.put("type", c.isNumeric() ? "numeric" : "categorical");
    o.put("missing", c.missing());
    if (!c.isNumeric()) {
      Categories cats = c.categoryCounts();
      ObjectNode counts = o.putObject("categories");
      cats.counts().forEach(counts::put);
      o.put("overflow", cats.overflow());
      o.put("limit", cats.limit());
      return o;
    }
    ExactMoments m = c.exactMoments();
    o.put("nonFinite", c.nonFinite());
    o.put("count", m.count());
    if (m.count() > 0) {
      o.put("min", m.min());
      o.put("max", m.max());
    }
    o.put("sum", exact(m.sum(), ExactSums.SUM_SCALE));
    o.put("sumOfSquares", exact(m.squares(), ExactSums.SQUARES_SCALE));
    o.set("sketch", sketch(c.sketch()));
    double[] values = c.exactValues();
    if (values != null) {
      ArrayNode v = o.putArray("values");
      for (double x : values) {
        v.add(x);
      }
    }
    if (c.distinctValues() != null) {
      ObjectNode d = o.putObject("distinct");
      ArrayNode dv = d.putArray("values");
      ArrayNode counts = d.putArray("counts");
      for (int i = 0; i < c.distinctValues().size(); i++) {
        dv.add(c.distinctValues().values()[i]);
        counts.add(c.distinctValues().counts()[i]);
      }
    }
    if (c.binning() != null) {
      ObjectNode b = o.putObject("bins");
      ArrayNode bounds = b.putArray(c.binning().isPerValue() ? "values" : "edges");
      for (double v : c.binning().isPerValue() ? c.binning().values() : c.binning().edges()) {
        bounds.add(v);
      }
      ArrayNode counts = b.putArray("counts");
      for (long n : c.binCounts()) {
        counts.add(n);
      }
    }
    return o;
  }

  /**
   * {@code scaled · 2^exponent} exactly, as a hexadecimal integer with a binary exponent ({@code
   * "0x15p-1"} is 10.5): the odd integer, or {@code "0x0p0"}. Decimals would be exact too, but a
   * sum that reaches down to subnormals has a thousand digits and costs a quadratic conversion.
   */
  static String exact(BigInteger scaled, int exponent) {
    if (scaled.signum() == 0) {
      return "0x0p0";
    }
    int zeros = scaled.getLowestSetBit();
    return (scaled.signum() < 0 ? "-0x" : "0x") + scaled.abs().shiftRight(zeros).toString(16) + "p"
        + (exponent + zeros);
  }

  /** The sketch as its accuracy, zero count and the dense counts of each sign's bucket range. */
  private static ObjectNode sketch(ValueSketch sketch) {
    ObjectNode o = CanonicalJson.object();
    o.put("relativeAccuracy", ValueSketch.relativeAccuracy());
    o.put("zeroCount", sketch.zeroCount());
    o.set("negative", store(sketch.buckets(-1)));
    o.set("positive", store(sketch.buckets(1)));
    return o;
  }

  private static ObjectNode store(List<long[]> buckets) {
    ObjectNode o = CanonicalJson.object();
    ArrayNode indexes = o.putArray("indexes");
    ArrayNode counts = o.putArray("counts");
    for (long[] b : buckets) {
      indexes.add(b[0]);
      counts.add(b[1]);
    }
    return o;
  }

  static Profile read(String json, int maxChars) {
    if (json.length() > maxChars) {
      throw new InvalidInputException("the profile's JSON has " + json.length() + " characters, more than the limit of "
          + maxChars + "; pass a larger limit to Profile.fromJson(json, maxChars) if the file is trusted");
    }
    JsonNode root = CanonicalJson.parse(json);
    if (!root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new InvalidInputException("not a profile: expected a JSON object with \"format\":\"" + FORMAT
          + "\"; pass text written by Profile.toJson()");
    }
    JsonNode version = root.path("version");
    if (!version.isIntegralNumber() || version.asLong() != Profile.FORMAT_VERSION) {
      throw new InvalidInputException("profile format version " + version + " is not read by this library, which "
          + "reads version " + Profile.FORMAT_VERSION + " (exact sums and a DDSketch; version 1 held rounded moments "
          + "and a KLL sketch that cannot be converted exactly); recompute the profile from its rows with "
          + "Profile.of(frame) or Profile.against(reference).of(frame) and save it with toJson()");
    }
    ObjectNode body = ((ObjectNode) root).deepCopy();
    JsonNode sha = body.path("sha256");
    String claimed = sha.isTextual() ? sha.asText() : "";
    body.remove("sha256");
    String actual = Digest.of(CanonicalJson.toString(body)).hex();
    if (!actual.equals(claimed)) {
      throw new IntegrityException("profile content does not match its digest (sha256 " + claimed + " recorded, "
          + actual + " computed); the file was changed or truncated, re-create it");
    }
    onlyKeys(root, TOP_KEYS, "the profile");
    long rowCount = count(body.get("rowCount"), "profile field \"rowCount\"");
    JsonNode list = body.get("columns");
    if (list == null || !list.isArray()) {
      throw new InvalidInputException("profile field \"columns\" must be an array of columns; got " + brief(list));
    }
    checkSketchBuckets(list, maxChars);
    Map<String, ColumnProfile> columns = new LinkedHashMap<>();
    for (JsonNode c : list) {
      ColumnProfile p = column(c, rowCount);
      if (columns.put(p.name(), p) != null) {
        throw new InvalidInputException("profile lists column '" + p.name() + "' twice");
      }
    }
    return new Profile(rowCount, columns);
  }

  /** More than any sketch can span; it keeps one bad store from overflowing the sum. */
  private static final long MAX_SPAN = 1L << 32;

  /**
   * A sketch holds its counts densely from its lowest to its highest bucket, so two buckets far
   * apart cost a whole range: the ranges of every sketch together must fit a budget known before
   * any is built, one bucket per 16 characters the text may have and never fewer than 2^20, so a
   * short profile cannot claim a large heap. Malformed stores are left to the checks of each column.
   */
  private static void checkSketchBuckets(JsonNode columns, int maxChars) {
    long budget = Math.max(1L << 20, maxChars / 16L);
    long total = 0;
    for (JsonNode c : columns) {
      for (String sign : new String[] {"negative", "positive"}) {
        JsonNode at = c.path("sketch").path(sign).path("indexes");
        if (at.isArray() && at.size() > 0 && at.get(0).canConvertToLong() && at.get(at.size() - 1).canConvertToLong()) {
          total += Math.max(0, Math.min(MAX_SPAN, at.get(at.size() - 1).asLong() - at.get(0).asLong() + 1));
          if (total > budget) {
            throw new InvalidInputException("the profile's sketches span " + total + " buckets or more, more than "
                + "the " + budget + " its size allows; pass a larger limit to Profile.fromJson(json, maxChars) if "
                + "the file is trusted");
          }
        }
      }
    }
  }

  private static ColumnProfile column(JsonNode c, long rowCount) {
    if (!c.isObject()) {
      throw new InvalidInputException("a profile column must be an object; got " + brief(c));
    }
    JsonNode nameNode = c.get("name");
    if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isEmpty()
        || nameNode.asText().length() > MAX_NAME_CHARS) {
      throw new InvalidInputException("a profile column needs a \"name\" of 1 to " + MAX_NAME_CHARS
          + " characters; got " + brief(nameNode));
    }
    String name = nameNode.asText();
    String where = "profile column '" + brief(name) + "'";
    JsonNode typeNode = c.get("type");
    String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : "";
    long missing = count(c.get("missing"), where + ", field \"missing\"");
    if (type.equals("categorical")) {
      onlyKeys(c, CATEGORICAL_KEYS, where);
      return categorical(c, name, where, missing, rowCount);
    }
    if (!type.equals("numeric")) {
      throw new InvalidInputException(where + " has type " + brief(typeNode) + "; expected \"numeric\" or "
          + "\"categorical\"");
    }
    onlyKeys(c, NUMERIC_KEYS, where);
    return new NumericReader(c, name, where, missing, rowCount).read();
  }

  private static ColumnProfile categorical(JsonNode c, String name, String where, long missing, long rowCount) {
    JsonNode cats = c.get("categories");
    if (cats == null || !cats.isObject()) {
      throw new InvalidInputException(where + " needs a \"categories\" object of counts; got " + brief(cats));
    }
    long limit = count(c.get("limit"), where + ", field \"limit\"");
    if (limit < 1 || limit > Integer.MAX_VALUE || cats.size() > limit) {
      throw new InvalidInputException(where + " keeps " + cats.size() + " categories under a limit of " + limit
          + "; the limit must be at least 1 and at least that many");
    }
    long overflow = count(c.get("overflow"), where + ", field \"overflow\"");
    if (overflow > 0 && cats.size() < limit) {
      throw new InvalidInputException(where + " counts " + overflow + " overflowing occurrences while keeping only "
          + cats.size() + " of " + limit + " categories; a category overflows only when the limit is reached");
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    long total = overflow;
    for (Map.Entry<String, JsonNode> e : cats.properties()) {
      long n = count(e.getValue(), where + ", category '" + brief(e.getKey()) + "'");
      if (n == 0) {
        throw new InvalidInputException(where + " lists category '" + brief(e.getKey()) + "' with count 0; "
            + "a kept category occurred at least once");
      }
      counts.put(e.getKey(), n);
      total = add(total, n, where);
    }
    rows(where, add(total, missing, where), rowCount);
    return new ColumnProfile(name, false, missing, 0, ExactMoments.EMPTY, null, null, null, null, null,
        new Categories(counts, overflow, (int) limit));
  }

  /** Reads and cross-checks one numeric column. */
  private static final class NumericReader {
    private final JsonNode c;
    private final String name;
    private final String where;
    private final long missing;
    private final long rowCount;

    NumericReader(JsonNode c, String name, String where, long missing, long rowCount) {
      this.c = c;
      this.name = name;
      this.where = where;
      this.missing = missing;
      this.rowCount = rowCount;
    }

    ColumnProfile read() {
      long nonFinite = count(c.get("nonFinite"), where + ", field \"nonFinite\"");
      long count = count(c.get("count"), where + ", field \"count\"");
      rows(where, add(add(count, missing, where), nonFinite, where), rowCount);
      ExactMoments m = moments(count);
      ValueSketch sketch = sketch(m);
      double[] values = values(m, sketch);
      ValueCounts distinct = distinct(m, sketch, values);
      Binning binning = null;
      long[] binCounts = null;
      if (c.has("bins")) {
        JsonNode b = object(c.get("bins"), "bins");
        boolean perValue = b.has("values");
        double[] bounds = finiteArray(b.get(perValue ? "values" : "edges"), "bins " + (perValue ? "values" : "edges"),
            perValue ? 0 : 1, MAX_BIN_BOUNDS);
        for (int i = 1; i < bounds.length; i++) {
          if (!(bounds[i - 1] < bounds[i])) {
            throw fail("has bin bounds that do not ascend strictly at position " + i + " (" + bounds[i - 1] + ", "
                + bounds[i] + ")");
          }
        }
        binning = perValue ? Binning.perValue(bounds) : Binning.ranges(bounds);
        binCounts = countArray(b.get("counts"), "bins counts", binning.size());
        if (sum(binCounts) != count) {
          throw fail("has bin counts summing to " + sum(binCounts) + " but counts " + count + " values");
        }
        if (values != null && !java.util.Arrays.equals(binCounts, binning.countSorted(values))) {
          throw fail("has bin counts that differ from its values counted in its bins");
        }
      }
      return new ColumnProfile(name, true, missing, nonFinite, m, sketch, values, distinct, binning, binCounts,
          null);
    }

    private ExactMoments moments(long count) {
      BigInteger sum = exact("sum", ExactSums.SUM_SCALE, MAX_SUM_CHARS);
      BigInteger squares = exact("sumOfSquares", ExactSums.SQUARES_SCALE, MAX_SQUARES_CHARS);
      if (count == 0) {
        if (c.has("min") || c.has("max") || sum.signum() != 0 || squares.signum() != 0) {
          throw fail("counts no values but has extremes or non-zero sums");
        }
        return ExactMoments.EMPTY;
      }
      double min = finite(c.get("min"), "min");
      double max = finite(c.get("max"), "max");
      if (!(min <= max)) {
        throw fail("has min " + min + " above max " + max);
      }
      ExactMoments m = new ExactMoments(count, sum, squares, min, max);
      BigInteger n = BigInteger.valueOf(count);
      // n·min ≤ Σx ≤ n·max and (Σx)² ≤ n·Σx² ≤ n²·max(min², max²) hold for any values.
      if (n.multiply(ExactMoments.of(new double[] {min}).sum()).compareTo(sum) > 0
          || n.multiply(ExactMoments.of(new double[] {max}).sum()).compareTo(sum) < 0) {
        throw fail("has a sum outside count × [min, max]");
      }
      BigInteger largestSquare = ExactMoments.of(new double[] {Math.abs(min) > Math.abs(max) ? min : max}).squares();
      if (m.scaledDeviations().signum() < 0 || squares.compareTo(n.multiply(largestSquare)) > 0) {
        throw fail("has a sum of squares that no " + count + " values in [min, max] with that sum have");
      }
      return m;
    }

    private ValueSketch sketch(ExactMoments m) {
      JsonNode s = object(c.get("sketch"), "sketch");
      JsonNode accuracy = s.get("relativeAccuracy");
      if (accuracy == null || !accuracy.isNumber() || accuracy.doubleValue() != ValueSketch.relativeAccuracy()) {
        throw fail("has a sketch of relative accuracy " + brief(accuracy) + "; this library's sketches have "
            + ValueSketch.relativeAccuracy() + ", recompute the profile with it");
      }
      ValueSketch sketch = new ValueSketch();
      long zeros = count(s.get("zeroCount"), where + ", field \"sketch.zeroCount\"");
      long total = zeros;
      long lowest = zeros > 0 ? 0 : Long.MAX_VALUE;
      long highest = zeros > 0 ? 0 : Long.MIN_VALUE;
      if (zeros > 0) {
        sketch.add(0, 0, zeros);
      }
      for (int sign : new int[] {-1, 1}) {
        String field = sign > 0 ? "positive" : "negative";
        JsonNode store = object(s.get(field), "sketch." + field);
        long[] n = countArray(store.get("counts"), "sketch." + field + ".counts", -1);
        long[] at = intArray(store.get("indexes"), "sketch." + field + ".indexes", n.length);
        for (int i = 0; i < n.length; i++) {
          long index = at[i];
          if (index < ValueSketch.lowestIndex() || index > ValueSketch.highestIndex() || i > 0 && index <= at[i - 1]
              || n[i] == 0 || n[i] > 1L << 53) {
            throw fail("has a sketch." + field + " bucket " + index + " of count " + n[i] + "; buckets ascend "
                + "strictly within [" + ValueSketch.lowestIndex() + ", " + ValueSketch.highestIndex()
                + "] with counts from 1 to 2^53");
          }
          total = add(total, n[i], where);
          long key = ValueSketch.orderKey(sign, (int) index);
          lowest = Math.min(lowest, key);
          highest = Math.max(highest, key);
        }
        // Both ends first, so that the store is sized once rather than grown bucket by bucket.
        for (int i : ends(n.length)) {
          sketch.add(sign, (int) at[i], n[i]);
        }
      }
      if (total != m.count()) {
        throw fail("has a sketch of " + total + " values but counts " + m.count());
      }
      if (m.count() > 0 && (lowest != ValueSketch.orderKey(m.min()) || highest != ValueSketch.orderKey(m.max()))) {
        throw fail("has a sketch whose lowest or highest bucket is not that of its min " + m.min() + " or max "
            + m.max());
      }
      return sketch;
    }

    /** Indexes 0..n-1 with the last and the first ahead of the rest. */
    private static int[] ends(int n) {
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i == 0 ? n - 1 : i == 1 ? 0 : i - 1;
      }
      return n == 1 ? new int[] {0} : order;
    }

    private double[] values(ExactMoments m, ValueSketch sketch) {
      boolean expected = m.count() <= Profile.EXACT_LIMIT;
      if (c.has("values") != expected) {
        throw fail(expected ? "counts " + m.count() + " values but does not list them; a column of at most "
            + Profile.EXACT_LIMIT + " values keeps them" : "lists its values but counts more than "
            + Profile.EXACT_LIMIT);
      }
      if (!expected) {
        return null;
      }
      double[] values = finiteArray(c.get("values"), "values", (int) m.count(), (int) m.count());
      for (int i = 1; i < values.length; i++) {
        if (Double.compare(values[i - 1], values[i]) > 0) {
          throw fail("lists values out of ascending order at position " + i);
        }
      }
      ExactMoments recomputed = ExactMoments.of(values);
      if (!recomputed.equals(m)) {
        throw fail("has a count, min, max, sum or sum of squares that differ from those of its values");
      }
      if (!ValueSketch.ofSorted(values).sameCounts(sketch)) {
        throw fail("has a sketch that differs from the sketch of its values");
      }
      return values;
    }

    private ValueCounts distinct(ExactMoments m, ValueSketch sketch, double[] values) {
      ValueCounts fromValues = null;
      if (values != null) {
        DistinctValues d = new DistinctValues();
        for (double v : values) {
          d.add(v);
        }
        fromValues = d.freeze();
      }
      if (!c.has("distinct")) {
        if (values != null && fromValues != null) {
          throw fail("lacks the distinct counts of its " + fromValues.size() + " distinct values");
        }
        return null;
      }
      JsonNode d = object(c.get("distinct"), "distinct");
      double[] v = finiteArray(d.get("values"), "distinct values", 0, DistinctValues.LIMIT);
      long[] n = countArray(d.get("counts"), "distinct counts", v.length);
      for (int i = 0; i < v.length; i++) {
        if (i > 0 && !(v[i - 1] < v[i]) || n[i] == 0 || Double.doubleToRawLongBits(v[i]) == Long.MIN_VALUE) {
          throw fail("has distinct values that are not strictly ascending non-negative-zero values with positive "
              + "counts at position " + i);
        }
      }
      ValueCounts distinct = new ValueCounts(v, n);
      if (values != null) {
        if (!distinct.equals(fromValues)) {
          throw fail("has distinct counts that differ from its values");
        }
        return distinct;
      }
      if (sum(n) != m.count() || v.length > 0 && (v[0] != m.min() || v[v.length - 1] != m.max())) {
        throw fail("has distinct counts that disagree with its count, min or max");
      }
      ExactMoments own = ExactMoments.ofCounts(v, n);
      if (!own.sum().equals(m.sum()) || !own.squares().equals(m.squares())) {
        throw fail("has distinct counts whose sums differ from its sums");
      }
      ValueSketch ownSketch = new ValueSketch();
      for (int i = v.length - 1; i >= 0; i--) {
        ownSketch.add(v[i], n[i]);
      }
      if (!ownSketch.sameCounts(sketch)) {
        throw fail("has a sketch that differs from the sketch of its distinct counts");
      }
      return distinct;
    }

    private BigInteger exact(String field, int exponent, int maxChars) {
      JsonNode node = c.get(field);
      java.util.regex.Matcher m = node != null && node.isTextual() && node.asText().length() <= maxChars
          ? EXACT.matcher(node.asText()) : null;
      if (m == null || !m.matches()) {
        throw fail("needs \"" + field + "\" as an exact number like \"0x15p-1\" (an odd hexadecimal integer times a "
            + "power of two) of at most " + maxChars + " characters; got " + brief(node));
      }
      BigInteger mantissa = new BigInteger(m.group(2), 16);
      long power = Long.parseLong(m.group(3));
      boolean canonical = mantissa.signum() == 0 ? power == 0 && m.group(1).isEmpty() : mantissa.testBit(0);
      if (!canonical || power - exponent < 0 || power - exponent > 2L * MAX_SQUARES_CHARS * 4) {
        throw fail("has a \"" + field + "\" that is not the canonical form of a sum of doubles: " + brief(node));
      }
      BigInteger scaled = mantissa.shiftLeft((int) (power - exponent));
      return m.group(1).isEmpty() ? scaled : scaled.negate();
    }

    private JsonNode object(JsonNode node, String field) {
      if (node == null || !node.isObject()) {
        throw fail("needs \"" + field + "\" as an object; got " + brief(node));
      }
      return node;
    }

    private double finite(JsonNode node, String field) {
      if (node == null || !node.isNumber() || !Double.isFinite(node.doubleValue())) {
        throw fail("needs \"" + field + "\" as a finite number; got " + brief(node));
      }
      return node.doubleValue();
    }

    private long integer(JsonNode node, String field) {
      if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
        throw fail("needs \"" + field + "\" as an integer; got " + brief(node));
      }
      return node.asLong();
    }

    private double[] finiteArray(JsonNode node, String field, int minLength, int maxLength) {
      if (node == null || !node.isArray() || node.size() < minLength || node.size() > maxLength) {
        throw fail("needs \"" + field + "\" as an array of " + minLength + " to " + maxLength + " finite numbers; got "
            + brief(node));
      }
      double[] out = new double[node.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = finite(node.get(i), field + "[" + i + "]");
      }
      return out;
    }

    private long[] intArray(JsonNode node, String field, int length) {
      if (node == null || !node.isArray() || node.size() != length) {
        throw fail("needs \"" + field + "\" as an array of " + length + " integers; got " + brief(node));
      }
      long[] out = new long[length];
      for (int i = 0; i < length; i++) {
        out[i] = integer(node.get(i), field + "[" + i + "]");
      }
      return out;
    }

    /** Non-negative integers; {@code length} −1 for any length. */
    private long[] countArray(JsonNode node, String field, int length) {
      if (node == null || !node.isArray() || length >= 0 && node.size() != length) {
        throw fail("needs \"" + field + "\" as an array of " + (length >= 0 ? length + " " : "")
            + "non-negative integers; got " + brief(node));
      }
      long[] out = new long[node.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = count(node.get(i), where + ", " + field + "[" + i + "]");
      }
      return out;
    }

    private long sum(long[] counts) {
      long t = 0;
      for (long n : counts) {
        t = add(t, n, where);
      }
      return t;
    }

    private InvalidInputException fail(String what) {
      return new InvalidInputException(where + " " + what + "; the profile is not one that rows produce, "
          + "recompute it");
    }
  }

  private static void onlyKeys(JsonNode node, Set<String> allowed, String where) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String k = names.next();
      if (!allowed.contains(k)) {
        throw new InvalidInputException(where + " has an unknown field \"" + brief(k) + "\"; the fields are "
            + new java.util.TreeSet<>(allowed));
      }
    }
  }

  private static void rows(String where, long rows, long rowCount) {
    if (rows != rowCount) {
      throw new InvalidInputException(where + " accounts for " + rows + " rows but the profile has " + rowCount
          + "; every column counts every row once");
    }
  }

  private static long add(long a, long b, String where) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw new InvalidInputException(where + " has counts whose total exceeds 2^63", e);
    }
  }

  private static long count(JsonNode v, String what) {
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new InvalidInputException(what + " must be a non-negative integer; got " + brief(v));
    }
    return v.asLong();
  }

  /** A value for a message, cut short so that a hostile file cannot make messages huge. */
  private static String brief(Object value) {
    String s = String.valueOf(value);
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
