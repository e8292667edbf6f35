package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Whatever the row, the predictor gives exactly what Tribuo gives on an {@link ArrayExample} built
 * the obvious way from the same row: same example, same label, same score for every label. The
 * signatures list their inputs out of Tribuo's order and mix every input type; the second one
 * has a one-hot prefix ({@code a@}) that is also the start of a numeric column's name, so Tribuo's
 * order of its feature names depends on the values; the third has only required doubles, the
 * signature whose rows take the tightest path when they list exactly its inputs in order.
 */
class PredictorFastPathProperties {
  /** The cities rows are made of; training sees all but the first, so "a@paris" never collides there. */
  private static final List<String> CITIES = List.of("paris", "oslo", "rome");

  private static final Schema MIXED = Schema.of(
      Field.of("zeta", FieldType.DOUBLE), Field.of("count", FieldType.LONG), Field.optional("flag", FieldType.BOOLEAN),
      Field.optional("city", FieldType.STRING), Field.optional("alpha", FieldType.DOUBLE), Field.of("mid", FieldType.DOUBLE));
  private static final Model<Label> MIXED_MODEL = train("mixed", MIXED);
  private static final Predictor<Label> MIXED_PREDICTOR = predictor(MIXED_MODEL, MIXED);

  private static final Schema PREFIXED = Schema.of(
      Field.of("a@paris", FieldType.DOUBLE), Field.of("a", FieldType.STRING), Field.optional("a@", FieldType.DOUBLE),
      Field.of("b", FieldType.DOUBLE));
  private static final Model<Label> PREFIXED_MODEL = train("prefixed", PREFIXED);
  private static final Predictor<Label> PREFIXED_PREDICTOR = predictor(PREFIXED_MODEL, PREFIXED);

  private static final Schema DOUBLES = Schema.of(
      Field.of("x2", FieldType.DOUBLE), Field.of("x0", FieldType.DOUBLE), Field.of("x1", FieldType.DOUBLE));
  private static final Model<Label> DOUBLES_MODEL = train("doubles", DOUBLES);
  private static final Predictor<Label> DOUBLES_PREDICTOR = predictor(DOUBLES_MODEL, DOUBLES);

  /** A logistic regression trained on the features a signature's rows produce. */
  private static Model<Label> train(String name, Schema inputs) {
    SplittableRandom random = new SplittableRandom(name.hashCode());
    List<Example<Label>> examples = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Map<String, Object> row = new HashMap<>();
      for (Field f : inputs) {
        row.put(f.name(), switch (f.type()) {
          case DOUBLE -> random.nextDouble(-2, 2);
          case LONG -> (long) random.nextInt(-5, 5);
          case BOOLEAN -> random.nextBoolean();
          case STRING -> CITIES.get(1 + random.nextInt(CITIES.size() - 1));
        });
      }
      double score = 0;
      for (Object v : row.values()) {
        score += v instanceof Number n ? n.doubleValue() : v.toString().length() % 3 - 1;
      }
      examples.add(obviousExample(inputs, row, new Label(score > 0 ? "pos" : "neg")));
    }
    LabelFactory factory = new LabelFactory();
    return new LogisticRegressionTrainer().train(
        new MutableDataset<>(new ListDataSource<>(examples, factory, new SimpleDataSourceProvenance(name, factory))));
  }

  private static Predictor<Label> predictor(Model<Label> model, Schema inputs) {
    return ModelPackage.builder("fast-path").version("1").model(model).signature(ModelSignature.of(inputs, Label.class, List.of("neg", "pos")))
        .environment(PackageFixture.ENVIRONMENT).build().predictor(Label.class);
  }

  /** The row read the obvious way: inputs in the signature's order, Tribuo's constructor sorting. */
  private static ArrayExample<Label> obviousExample(Schema inputs, Map<String, ?> row, Label output) {
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Field f : inputs) {
      Object v = row.get(f.name());
      if (v == null || (v instanceof Number n && Double.isNaN(n.doubleValue()))) {
        continue;
      }
      if (f.type().isNumeric()) {
        names.add(f.name());
        values.add(((Number) v).doubleValue());
      } else {
        names.add(f.name() + "@" + v);
        values.add(1.0);
      }
    }
    return new ArrayExample<>(output, names.toArray(String[]::new), values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** A double input's value: any numeric type it accepts, NaN or absent when optional. */
  private static Arbitrary<Object> doubleValue(boolean optional) {
    Arbitrary<Object> present = Arbitraries.oneOf(
        Arbitraries.doubles().between(-3, 3).map(Object.class::cast),
        Arbitraries.longs().between(-3, 3).map(Object.class::cast),
        Arbitraries.integers().between(-3, 3).map(Object.class::cast),
        Arbitraries.floats().between(-3, 3).map(Object.class::cast));
    return optional ? Arbitraries.oneOf(present, Arbitraries.just(Double.NaN)).injectNull(0.2) : present;
  }

  /** A string input's value: a known city, one the model never saw, or another CharSequence. */
  private static Arbitrary<Object> stringValue(boolean optional) {
    Arbitrary<Object> present = Arbitraries.oneOf(
        Arbitraries.of(CITIES).map(Object.class::cast),
        Arbitraries.strings().ofMaxLength(4).map(Object.class::cast),
        Arbitraries.of(CITIES).map(c -> (Object) new StringBuilder(c)));
    return optional ? present.injectNull(0.2) : present;
  }

  /** Inputs the signature does not name, which are ignored. */
  private static Arbitrary<Map<String, Object>> extras() {
    return Arbitraries.maps(
        Arbitraries.of("extra", "zeta2", "city@paris", "a@b"),
        Arbitraries.oneOf(Arbitraries.doubles().map(Object.class::cast), Arbitraries.strings().ofMaxLength(3).map(Object.class::cast)))
        .ofMaxSize(2);
  }

  /** The same entries in a hash, insertion-ordered or sorted map. */
  private static Arbitrary<Map<String, Object>> anyMap(Map<String, Object> entries) {
    return Arbitraries.of(0, 1, 2).map(kind -> {
      Map<String, Object> row = kind == 0 ? new HashMap<>() : kind == 1 ? new LinkedHashMap<>() : new TreeMap<>();
      row.putAll(entries);
      return row;
    });
  }

  private static Map<String, Object> put(Map<String, Object> extras, Object... keyValues) {
    Map<String, Object> row = new HashMap<>(extras);
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        row.put((String) keyValues[i], keyValues[i + 1]);
      }
    }
    return row;
  }

  @Provide
  Arbitrary<Map<String, Object>> mixedRows() {
    return Combinators.combine(
        doubleValue(false),
        Arbitraries.oneOf(Arbitraries.longs().between(-5, 5).map(Object.class::cast), Arbitraries.integers().between(-5, 5).map(Object.class::cast),
            Arbitraries.shorts().between((short) -5, (short) 5).map(Object.class::cast)),
        Arbitraries.of(true, false).map(Object.class::cast).injectNull(0.2),
        stringValue(true),
        doubleValue(true),
        doubleValue(false),
        extras())
        .as((zeta, count, flag, city, alpha, mid, extras) ->
            put(extras, "zeta", zeta, "count", count, "flag", flag, "city", city, "alpha", alpha, "mid", mid))
        .flatMap(PredictorFastPathProperties::anyMap);
  }

  @Provide
  Arbitrary<Map<String, Object>> prefixedRows() {
    return Combinators.combine(doubleValue(false), stringValue(false), doubleValue(true), doubleValue(false), extras())
        .as((ap, a, at, b, extras) -> put(extras, "a@paris", ap, "a", a, "a@", at, "b", b))
        .flatMap(PredictorFastPathProperties::anyMap);
  }

  /**
   * Rows of the doubles-only signature: every numeric type, some values NaN, infinite or absent,
   * sometimes an extra key; in a tree map (so in the encoder's own order), an insertion-ordered or
   * a hash map.
   */
  @Provide
  Arbitrary<Map<String, Object>> doubleRows() {
    Arbitrary<Object> value = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.doubles().between(-3, 3).map(Object.class::cast)),
        Tuple.of(2, doubleValue(false)),
        Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN)
            .map(Object.class::cast).injectNull(0.3)));
    return Combinators.combine(value, value, value, extras())
        .as((x0, x1, x2, extras) -> put(extras, "x0", x0, "x1", x1, "x2", x2))
        .flatMap(PredictorFastPathProperties::anyMap);
  }

  @Property(tries = 500)
  void doublesOnlyRowsPredictAsTribuoOnTheObviousExampleOrAreRefused(@ForAll("doubleRows") Map<String, Object> row) {
    boolean unfit = DOUBLES.fields().stream().map(f -> row.get(f.name()))
        .anyMatch(v -> v == null || !Double.isFinite(((Number) v).doubleValue()));
    if (unfit) {
      assertThrows(InvalidInputException.class, () -> DOUBLES_PREDICTOR.predict(row));
    } else {
      assertSamePrediction(DOUBLES_MODEL, DOUBLES_PREDICTOR, DOUBLES, row);
    }
  }

  @Property(tries = 500)
  void mixedInputsPredictAsTribuoOnTheObviousExample(@ForAll("mixedRows") Map<String, Object> row) {
    assertSamePrediction(MIXED_MODEL, MIXED_PREDICTOR, MIXED, row);
  }

  @Property(tries = 300)
  void valueDependentFeatureOrderPredictsAsTribuoOnTheObviousExample(@ForAll("prefixedRows") Map<String, Object> row) {
    assertSamePrediction(PREFIXED_MODEL, PREFIXED_PREDICTOR, PREFIXED, row);
  }

  private static void assertSamePrediction(Model<Label> model, Predictor<Label> predictor, Schema inputs, Map<String, Object> row) {
    ArrayExample<Label> obvious = obviousExample(inputs, row, LabelFactory.UNKNOWN_LABEL);
    Prediction<Label> expected;
    try {
      expected = model.predict(obvious);
    } catch (RuntimeException refused) {
      RuntimeException same = assertThrows(RuntimeException.class, () -> predictor.predict(row));
      assertEquals(refused.getClass(), same.getClass());
      assertEquals(refused.getMessage(), same.getMessage());
      return;
    }
    Prediction<Label> actual = predictor.predict(row);
    assertEquals(obvious, actual.getExample());
    assertEquals(expected.getNumActiveFeatures(), actual.getNumActiveFeatures());
    assertEquals(expected.getOutput().getLabel(), actual.getOutput().getLabel());
    assertEquals(expected.getOutput().getScore(), actual.getOutput().getScore());
    assertEquals(expected.getOutputScores().keySet(), actual.getOutputScores().keySet());
    for (Map.Entry<String, Label> e : expected.getOutputScores().entrySet()) {
      Label score = actual.getOutputScores().get(e.getKey());
      assertNotNull(score, e.getKey());
      assertEquals(e.getValue().getScore(), score.getScore(), e.getKey());
    }
  }
}
