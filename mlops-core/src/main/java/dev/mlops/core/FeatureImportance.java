package dev.mlops.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How much a model relies on each of its input features, as one immutable value that every
 * module can pass around: the explain module computes it, a model package stores it as {@code
 * explanations/importance.json}, a drift report weighs columns by it. Features are sorted from
 * the most to the least important (ties by name); each has a mean importance and its standard
 * deviation over the repeats that measured it (0 when the method is exact).
 *
 * <pre>{@code
 * FeatureImportance fi = new FeatureImportance("permutation", "accuracy", 0.93, 5,
 *     List.of(new FeatureImportance.Feature("petal_length", 0.41, 0.02),
 *             new FeatureImportance.Feature("sepal_width", 0.01, 0.005)));
 * fi.features().get(0).name();                 // "petal_length"
 * fi.share(List.of("petal_length"));           // 0.976…: its part of the total importance
 * FeatureImportance back = FeatureImportance.fromJson(fi.toJson());
 * }</pre>
 *
 * @param method how the importance was measured, such as {@code permutation}, {@code
 *     linear-weights} or {@code split-count}
 * @param metric the score whose loss measures importance (such as {@code accuracy}), or the
 *     model quantity it is read from (such as {@code |weight|})
 * @param baseline the metric on the unchanged data; NaN when the method has none
 * @param repeats how many times each feature was measured (1 for exact methods)
 * @param features the features, most important first
 */
public record FeatureImportance(String method, String metric, double baseline, int repeats, List<Feature> features) {
  /** The most features a value holds, so that reading one is bounded. */
  public static final int MAX_FEATURES = 100_000;
  /** The longest JSON text {@link #fromJson} reads. */
  public static final int MAX_JSON_CHARS = 16 << 20;

  private static final Comparator<Feature> MOST_IMPORTANT_FIRST =
      Comparator.comparingDouble(Feature::mean).reversed().thenComparing(Feature::name);

  /**
   * One feature's importance.
   *
   * @param name the feature (an input column of the model's signature)
   * @param mean the mean importance over the repeats
   * @param std the standard deviation over the repeats (population, ddof = 0, as NumPy's default)
   */
  public record Feature(String name, double mean, double std) {
    public Feature {
      if (name == null || name.isEmpty()) {
        throw new InvalidInputException("a feature of an importance needs a name; got '" + name + "'");
      }
      if (!Double.isFinite(mean)) {
        throw new InvalidInputException("the importance of feature '" + name + "' must be finite; got " + mean);
      }
      if (!(std >= 0) || !Double.isFinite(std)) {
        throw new InvalidInputException(
            "the standard deviation of feature '" + name + "' must be finite and ≥ 0; got " + std);
      }
    }
  }

  /**
   * @throws InvalidInputException for an empty method or metric, repeats below 1, more than
   *     {@link #MAX_FEATURES} features or a feature named twice
   */
  public FeatureImportance {
    if (method == null || method.isBlank()) {
      throw new InvalidInputException("an importance needs a method such as 'permutation'; got '" + method + "'");
    }
    if (metric == null || metric.isBlank()) {
      throw new InvalidInputException("an importance needs a metric such as 'accuracy'; got '" + metric + "'");
    }
    if (repeats < 1) {
      throw new InvalidInputException("an importance's repeats must be at least 1; got " + repeats);
    }
    Objects.requireNonNull(features, "features");
    if (features.size() > MAX_FEATURES) {
      throw new InvalidInputException(
          "an importance holds at most " + MAX_FEATURES + " features; got " + features.size());
    }
    Set<String> seen = new HashSet<>();
    for (Feature f : features) {
      if (!seen.add(Objects.requireNonNull(f, "feature").name())) {
        throw new InvalidInputException("feature '" + f.name() + "' appears twice in an importance; name each once");
      }
    }
    List<Feature> sorted = new ArrayList<>(features);
    sorted.sort(MOST_IMPORTANT_FIRST);
    features = List.copyOf(sorted);
  }

  /** The named feature's importance, when it was measured. */
  public Optional<Feature> feature(String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** The names of the features, most important first. */
  public List<String> names() {
    return features.stream().map(Feature::name).toList();
  }

  /**
   * The sum of the positive mean importances. A negative importance (the model did better on
   * shuffled data, which is noise) counts as none.
   */
  public double total() {
    return features.stream().mapToDouble(f -> Math.max(0, f.mean())).sum();
  }

  /**
   * The part of the {@linkplain #total() total} importance that these features carry, in [0, 1];
   * names not measured carry none. 0 when the total is 0.
   */
  public double share(Collection<String> names) {
    double total = total();
    if (total == 0) {
      return 0;
    }
    Set<String> wanted = Set.copyOf(names);
    double part = features.stream().filter(f -> wanted.contains(f.name())).mapToDouble(f -> Math.max(0, f.mean())).sum();
    return part / total;
  }

  /** The value as canonical JSON (keys sorted, features most important first). */
  public String toJson() {
    ObjectNode o = CanonicalJson.object();
    o.put("method", method);
    o.put("metric", metric);
    if (Double.isFinite(baseline)) {
      o.put("baseline", baseline);
    } else {
      o.putNull("baseline");
    }
    o.put("repeats", repeats);
    ArrayNode list = o.putArray("features");
    for (Feature f : features) {
      list.addObject().put("name", f.name()).put("mean", f.mean()).put("std", f.std());
    }
    return CanonicalJson.toString(o);
  }

  /** {@link #toJson()} as UTF-8 bytes. */
  public byte[] toJsonBytes() {
    return toJson().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads the JSON {@link #toJson()} writes.
   *
   * @throws InvalidInputException for text over {@link #MAX_JSON_CHARS}, malformed JSON, a
   *     missing or mistyped field (named), or any value the constructor refuses
   */
  public static FeatureImportance fromJson(String json) {
    Objects.requireNonNull(json, "json");
    if (json.length() > MAX_JSON_CHARS) {
      throw new InvalidInputException("an importance's JSON has " + json.length() + " characters, more than the limit of "
          + MAX_JSON_CHARS + "; it is not an importance written by this library");
    }
    return fromNode(CanonicalJson.parse(json));
  }

  /** Reads UTF-8 JSON bytes; see {@link #fromJson(String)}. */
  public static FeatureImportance fromJson(byte[] json) {
    if (json.length > 4L * MAX_JSON_CHARS) {
      throw new InvalidInputException("an importance's JSON has " + json.length + " bytes, more than the limit of "
          + 4L * MAX_JSON_CHARS + "; it is not an importance written by this library");
    }
    return fromJson(new String(json, StandardCharsets.UTF_8));
  }

  private static FeatureImportance fromNode(JsonNode o) {
    if (!o.isObject()) {
      throw new InvalidInputException("an importance's JSON must be an object; got " + o.getNodeType());
    }
    JsonNode list = o.path("features");
    if (!list.isArray()) {
      throw new InvalidInputException("an importance's JSON needs a 'features' array; got " + list.getNodeType());
    }
    if (list.size() > MAX_FEATURES) {
      throw new InvalidInputException("an importance holds at most " + MAX_FEATURES + " features; got " + list.size());
    }
    List<Feature> features = new ArrayList<>(list.size());
    for (JsonNode f : list) {
      features.add(new Feature(text(f, "name"), number(f, "mean"), number(f, "std")));
    }
    JsonNode baseline = o.path("baseline");
    if (!baseline.isNull() && !baseline.isNumber()) {
      throw new InvalidInputException("an importance's 'baseline' must be a number or null; got " + baseline);
    }
    JsonNode repeats = o.path("repeats");
    if (!repeats.canConvertToInt() || !repeats.isIntegralNumber()) {
      throw new InvalidInputException("an importance's 'repeats' must be a whole number; got " + repeats);
    }
    return new FeatureImportance(text(o, "method"), text(o, "metric"),
        baseline.isNull() ? Double.NaN : baseline.doubleValue(), repeats.intValue(), features);
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (!v.isTextual()) {
      throw new InvalidInputException("an importance's '" + field + "' must be text; got " + v.getNodeType());
    }
    return v.textValue();
  }

  private static double number(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (!v.isNumber()) {
      throw new InvalidInputException("an importance's feature field '" + field + "' must be a number; got " + v.getNodeType());
    }
    return v.doubleValue();
  }
}
