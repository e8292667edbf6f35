package dev.mlops.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.monitoring.internal.Categories;
import dev.mlops.monitoring.internal.Moments;
import dev.mlops.monitoring.internal.ValueCounts;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/** The JSON form of a {@link Profile}: format name, version, content digest, columns in order. */
final class ProfileJson {
  static final String FORMAT = "mlops-profile";

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
    Moments m = c.moments();
    o.put("nonFinite", c.nonFinite());
    o.put("count", m.count());
    o.put("mean", m.mean());
    o.put("m2", m.m2());
    if (m.count() > 0) {
      o.put("min", m.min());
      o.put("max", m.max());
    }
    o.set("sketch", sketch(c.sketch()));
    if (c.distinctValues() != null) {
      ObjectNode d = o.putObject("distinct");
      ArrayNode values = d.putArray("values");
      ArrayNode counts = d.putArray("counts");
      for (int i = 0; i < c.distinctValues().size(); i++) {
        values.add(c.distinctValues().values()[i]);
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
   * The sketch as its weighted items. Reading them back into a new sketch gives the same items
   * while the sketch holds every value, and the same distribution within the sketch's rank error
   * beyond that. (DataSketches' own binary form needs the incubating foreign-memory module on Java 17.)
   */
  private static ObjectNode sketch(KllDoublesSketch sketch) {
    ObjectNode o = CanonicalJson.object();
    o.put("k", sketch.getK());
    ArrayNode items = o.putArray("items");
    ArrayNode weights = o.putArray("weights");
    if (!sketch.isEmpty()) {
      DoublesSortedView view = sketch.getSortedView();
      long previous = 0;
      for (int i = 0; i < view.getQuantiles().length; i++) {
        items.add(view.getQuantiles()[i]);
        weights.add(view.getCumulativeWeights()[i] - previous);
        previous = view.getCumulativeWeights()[i];
      }
    }
    return o;
  }

  private static KllDoublesSketch sketch(String column, JsonNode node) {
    int k = node.path("k").asInt(Profile.SKETCH_K);
    JsonNode items = node.path("items");
    JsonNode weights = node.path("weights");
    if (k < 8 || k > 65535 || !items.isArray() || !weights.isArray() || items.size() != weights.size()) {
      throw new InvalidInputException("profile column '" + column + "' has an unreadable sketch: expected k in "
          + "[8, 65535] and equally long \"items\" and \"weights\" arrays");
    }
    KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(k);
    for (int i = 0; i < items.size(); i++) {
      double item = items.get(i).asDouble();
      long weight = weights.get(i).asLong();
      if (!Double.isFinite(item) || weight <= 0) {
        throw new InvalidInputException("profile column '" + column + "' has a sketch item " + items.get(i)
            + " of weight " + weights.get(i) + "; items must be finite and weights positive");
      }
      sketch.update(item, weight);
    }
    return sketch;
  }

  static Profile read(String json) {
    JsonNode root = CanonicalJson.parse(json);
    if (!root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new InvalidInputException("not a profile: expected a JSON object with \"format\":\"" + FORMAT
          + "\"; pass text written by Profile.toJson()");
    }
    int version = root.path("version").asInt(-1);
    if (version != Profile.FORMAT_VERSION) {
      throw new InvalidInputException("profile format version " + root.path("version") + " is not supported; "
          + "this library reads version " + Profile.FORMAT_VERSION + ", re-create the profile with it");
    }
    ObjectNode body = ((ObjectNode) root).deepCopy();
    String claimed = body.path("sha256").asText("");
    body.remove("sha256");
    String actual = Digest.of(CanonicalJson.toString(body)).hex();
    if (!actual.equals(claimed)) {
      throw new IntegrityException("profile content does not match its digest (sha256 " + claimed + " recorded, "
          + actual + " computed); the file was changed or truncated, re-create it");
    }
    Map<String, ColumnProfile> columns = new LinkedHashMap<>();
    for (JsonNode c : body.path("columns")) {
      ColumnProfile p = column(c);
      if (columns.put(p.name(), p) != null) {
        throw new InvalidInputException("profile lists column '" + p.name() + "' twice");
      }
    }
    return new Profile(requireLong(body, "rowCount"), columns);
  }

  private static ColumnProfile column(JsonNode c) {
    String name = c.path("name").asText("");
    if (name.isEmpty()) {
      throw new InvalidInputException("profile column without a name: " + c);
    }
    long missing = requireLong(c, "missing");
    String type = c.path("type").asText();
    if (type.equals("categorical")) {
      Map<String, Long> counts = new LinkedHashMap<>();
      c.path("categories").fields().forEachRemaining(e -> counts.put(e.getKey(), requireCount(e.getValue(),
          "category '" + e.getKey() + "' of column '" + name + "'")));
      long limit = requireLong(c, "limit");
      if (limit < 1 || limit > Integer.MAX_VALUE || counts.size() > limit) {
        throw new InvalidInputException("profile column '" + name + "' keeps " + counts.size()
            + " categories under a limit of " + limit + "; the limit must be at least 1 and at least that many");
      }
      Categories cats = new Categories(counts, requireLong(c, "overflow"), (int) limit);
      return new ColumnProfile(name, false, missing, 0, Moments.EMPTY, null, null, null, null, cats);
    }
    if (!type.equals("numeric")) {
      throw new InvalidInputException("profile column '" + name + "' has type '" + type
          + "'; expected numeric or categorical");
    }
    long count = requireLong(c, "count");
    Moments m = count == 0 ? Moments.EMPTY : new Moments(count, c.path("mean").asDouble(), c.path("m2").asDouble(),
        c.path("min").asDouble(), c.path("max").asDouble());
    if (count > 0 && !(m.min() <= m.mean() && m.mean() <= m.max() && m.m2() >= 0 && Double.isFinite(m.m2())
        && Double.isFinite(m.min()) && Double.isFinite(m.max()))) {
      throw new InvalidInputException("profile column '" + name + "' has inconsistent moments: min " + m.min()
          + ", mean " + m.mean() + ", max " + m.max() + ", m2 " + m.m2());
    }
    KllDoublesSketch sketch = sketch(name, c.path("sketch"));
    if (sketch.getN() != count) {
      throw new InvalidInputException("profile column '" + name + "' counts " + count + " values but its sketch "
          + sketch.getN());
    }
    ValueCounts distinct = null;
    if (c.has("distinct")) {
      distinct = new ValueCounts(doubles(c.path("distinct").path("values")), longs(c.path("distinct").path("counts")));
    }
    Binning binning = null;
    long[] binCounts = null;
    if (c.has("bins")) {
      JsonNode b = c.path("bins");
      binning = b.has("values") ? Binning.perValue(doubles(b.path("values"))) : Binning.ranges(doubles(b.path("edges")));
      binCounts = longs(b.path("counts"));
      for (long n : binCounts) {
        if (n < 0) {
          throw new InvalidInputException("profile column '" + name + "' has a negative bin count " + n);
        }
      }
      if (binCounts.length != binning.size()) {
        throw new InvalidInputException("profile column '" + name + "' has " + binCounts.length + " bin counts for "
            + binning.size() + " bins");
      }
    }
    return new ColumnProfile(name, true, missing, requireLong(c, "nonFinite"), m, sketch, distinct, binning,
        binCounts, null);
  }

  private static long requireLong(JsonNode node, String field) {
    return requireCount(node.get(field), "profile field \"" + field + "\"");
  }

  private static long requireCount(JsonNode v, String what) {
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new InvalidInputException(what + " must be a non-negative integer; got " + v);
    }
    return v.asLong();
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }
}
