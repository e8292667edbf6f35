package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.VariableInfo;
import org.tribuo.classification.LabelFactory;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * A frame becomes a Tribuo data set cell by cell: each row one example, in order, whose features
 * are exactly the row's present inputs (a number under its column's name, a text as the one-hot
 * feature {@code column@text} of value 1) and whose output is read from the output cell. Frames
 * of 0–40 rows and 1–5 inputs, numeric and text, each cell missing one time in six, texts from a
 * small vocabulary so that values repeat, and a text or a numeric output column.
 */
class FrameTribuoProperties {

  private static final String OUTPUT = "y";

  @Provide
  Arbitrary<Frame> frames() {
    return frames(false);
  }

  @Provide
  Arbitrary<Frame> regressionFrames() {
    return frames(true);
  }

  private static Arbitrary<Frame> frames(boolean numericOutput) {
    Arbitrary<Integer> rows = Arbitraries.integers().between(0, 40);
    Arbitrary<List<Boolean>> numeric = Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(5);
    return Combinators.combine(rows, numeric).flatAs((n, kinds) -> {
      List<Field> fields = new ArrayList<>();
      List<Arbitrary<Object>> cells = new ArrayList<>();
      for (int j = 0; j < kinds.size(); j++) {
        fields.add(Field.optional("c" + j, kinds.get(j) ? FieldType.DOUBLE : FieldType.STRING));
        cells.add(kinds.get(j) ? numbers() : texts());
      }
      fields.add(Field.optional(OUTPUT, numericOutput ? FieldType.DOUBLE : FieldType.STRING));
      cells.add(numericOutput ? Arbitraries.doubles().between(-1e6, 1e6).map(d -> (Object) d)
          : Arbitraries.of("yes", "no", "maybe").map(s -> (Object) s));
      Schema schema = Schema.of(fields);
      return Combinators.combine(cells).as(r -> r).list().ofSize(n).map(rowList -> {
        FrameBuilder b = Frame.builder(schema);
        rowList.forEach(r -> b.row(r.toArray()));
        return b.build();
      });
    });
  }

  private static Arbitrary<Object> numbers() {
    return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.doubles().between(-1e9, 1e9).map(d -> (Object) d)),
        Tuple.of(1, Arbitraries.just(null)));
  }

  private static Arbitrary<Object> texts() {
    return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of("red", "green", "blue", "a b", "é").map(s -> (Object) s)),
        Tuple.of(1, Arbitraries.just(null)));
  }

  @Property(tries = 300)
  @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
  void everyRowBecomesAnExampleOfItsPresentInputsAndItsLabel(@ForAll("frames") Frame frame) {
    boolean refused = refusedForARowWithoutInputs(frame, () -> frame.toTribuo(OUTPUT, new LabelFactory()));
    Statistics.collect(refused ? "refused" : "converted");
    // most frames convert: the refusal alone would not check the conversion
    Statistics.coverage(c -> c.check("converted").percentage(p -> p > 50));
    if (refused) {
      return;
    }
    MutableDataset<?> data = frame.toTribuo(OUTPUT, new LabelFactory());
    assertEquals(frame.rowCount(), data.size());
    Map<String, Integer> featureCounts = new TreeMap<>();
    for (int i = 0; i < frame.rowCount(); i++) {
      Example<?> example = data.getExample(i);
      Map<String, Double> expected = inputsOf(frame, i);
      assertEquals(expected, featuresOf(example), "row " + i);
      assertEquals(frame.categorical(OUTPUT).get(i), example.getOutput().getSerializableForm(false), "row " + i);
      expected.forEach((name, v) -> featureCounts.merge(name, v != 0.0 ? 1 : 0, Integer::sum));
    }
    // the data set's feature map knows every feature and, as Tribuo counts, the examples holding it other than zero
    Map<String, Integer> mapped = new TreeMap<>();
    for (VariableInfo info : data.getFeatureMap()) {
      mapped.put(info.getName(), info.getCount());
    }
    assertEquals(featureCounts, mapped);
  }

  @Property(tries = 200)
  void aNumericOutputBecomesARegressorNamedAfterItsColumn(@ForAll("regressionFrames") Frame frame) {
    if (refusedForARowWithoutInputs(frame, () -> frame.toTribuo(OUTPUT, new RegressionFactory()))) {
      return;
    }
    MutableDataset<Regressor> data = frame.toTribuo(OUTPUT, new RegressionFactory());
    assertEquals(frame.rowCount(), data.size());
    for (int i = 0; i < frame.rowCount(); i++) {
      Example<Regressor> example = data.getExample(i);
      assertEquals(inputsOf(frame, i), featuresOf(example), "row " + i);
      Regressor r = example.getOutput();
      assertEquals(List.of(OUTPUT), List.of(r.getNames()));
      assertEquals(frame.numeric(OUTPUT).get(i), r.getValues()[0], "row " + i);
    }
  }

  @Property(tries = 100)
  void aRowWithoutAnOutputIsRefusedByNumber(@ForAll("frames") Frame frame, @ForAll @IntRange(min = 0, max = 39) int at) {
    net.jqwik.api.Assume.that(at < frame.rowCount());
    List<String> outputs = new ArrayList<>(List.of(frame.categorical(OUTPUT).toArray()));
    outputs.set(at, null);
    FrameBuilder b = Frame.builder(frame.schema());
    for (Column c : frame.columns()) {
      if (c.name().equals(OUTPUT)) {
        b.column(OUTPUT, outputs.toArray(String[]::new));
      } else if (c instanceof NumericColumn n) {
        b.column(c.name(), n.toArray());
      } else {
        b.column(c.name(), ((CategoricalColumn) c).toArray());
      }
    }
    Frame broken = b.build();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> broken.toTribuo(OUTPUT, new LabelFactory()));
    // the rows are read in order: an earlier row without inputs is the one named
    boolean earlierWithoutInputs = false;
    for (int i = 0; i < at; i++) {
      earlierWithoutInputs |= inputsOf(broken, i).isEmpty();
    }
    if (!earlierWithoutInputs) {
      assertTrue(e.getMessage().contains("row " + at + " has no value in the output column '" + OUTPUT + "'"), e.getMessage());
    }
  }

  /**
   * Whether a row has no present input, and then that the conversion refused the frame naming
   * the first such row and the input columns; such a row cannot be a Tribuo example.
   */
  private static boolean refusedForARowWithoutInputs(Frame frame, org.junit.jupiter.api.function.Executable convert) {
    for (int i = 0; i < frame.rowCount(); i++) {
      if (inputsOf(frame, i).isEmpty()) {
        InvalidInputException e = assertThrows(InvalidInputException.class, convert);
        List<String> inputs = frame.columnNames().stream().filter(n -> !n.equals(OUTPUT)).toList();
        assertEquals("row " + i + " has no value in any input column " + inputs
            + "; drop or fill the rows without inputs before training", e.getMessage());
        return true;
      }
    }
    return false;
  }

  /** The row's present inputs as Tribuo features, read cell by cell. */
  private static Map<String, Double> inputsOf(Frame frame, int row) {
    Map<String, Double> expected = new TreeMap<>();
    for (Column c : frame.columns()) {
      Object v = c.value(row);
      if (c.name().equals(OUTPUT) || v == null) {
        continue;
      }
      if (v instanceof Double d) {
        expected.put(c.name(), d);
      } else {
        expected.put(c.name() + "@" + v, 1.0);
      }
    }
    return expected;
  }

  private static <T extends Output<T>> Map<String, Double> featuresOf(Example<T> example) {
    Map<String, Double> features = new TreeMap<>();
    for (Feature f : example) {
      features.put(f.getName(), f.getValue());
    }
    assertEquals(example.size(), features.size());
    return features;
  }
}
