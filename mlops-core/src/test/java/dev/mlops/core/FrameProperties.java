package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class FrameProperties {

  @Provide
  Arbitrary<Frame> frames() {
    Arbitrary<Integer> rows = Arbitraries.integers().between(0, 30);
    Arbitrary<List<FieldType>> types = Arbitraries.of(FieldType.values()).list().ofMinSize(1).ofMaxSize(5);
    return Combinators.combine(rows, types).flatAs((n, ts) -> {
      Schema schema = schemaOf(ts);
      List<Arbitrary<Object>> cells = new ArrayList<>();
      for (FieldType t : ts) {
        cells.add(cellsOf(t));
      }
      return Combinators.combine(cells).as(r -> r).list().ofSize(n).map(rowList -> {
        FrameBuilder b = Frame.builder(schema);
        rowList.forEach(r -> b.row(r.toArray()));
        return b.build();
      });
    });
  }

  private static Schema schemaOf(List<FieldType> types) {
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      fields.add(Field.optional("c" + i, types.get(i)));
    }
    return Schema.of(fields);
  }

  private static Arbitrary<Object> cellsOf(FieldType t) {
    Arbitrary<Object> value;
    switch (t) {
      case DOUBLE:
        value = Arbitraries.oneOf(
            Arbitraries.doubles().map(d -> (Object) d),
            Arbitraries.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, Double.MAX_VALUE));
        break;
      case LONG:
        value = Arbitraries.longs().between(-1L << 52, 1L << 52).map(l -> (Object) l);
        break;
      case BOOLEAN:
        value = Arbitraries.of(true, false).map(b -> (Object) b);
        break;
      default:
        // any text, commas, quotes, new lines and non-ASCII included
        value = Arbitraries.strings().ofMinLength(1).ofMaxLength(12).map(s -> (Object) s);
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, value), net.jqwik.api.Tuple.of(1, Arbitraries.just(null)));
  }

  @Property(tries = 200)
  void csvRoundTripWithSchemaGivesAnEqualFrame(@ForAll("frames") Frame frame) {
    Frame back = Frame.readCsv(new StringReader(frame.toCsv()), "round-trip", frame.schema());
    assertEquals(frame, back);
  }

  @Property(tries = 100)
  void buildingByRowsOrByColumnsGivesTheSameFrame(@ForAll("frames") Frame frame) {
    FrameBuilder b = Frame.builder(frame.schema());
    for (Column c : frame.columns()) {
      if (c instanceof NumericColumn n) {
        b.column(c.name(), n.toArray());
      } else {
        b.column(c.name(), ((CategoricalColumn) c).toArray());
      }
    }
    Frame byColumns = b.build();
    assertEquals(frame.rowCount(), byColumns.rowCount());
    if (frame.rowCount() > 0) {
      assertEquals(frame, byColumns);
    }
  }

  @Property(tries = 100)
  void slicesConcatenateToTheWholeAndFilterAgreesWithSlice(
      @ForAll("frames") Frame frame, @ForAll @IntRange(min = 0, max = 30) int cut) {
    int k = Math.min(cut, frame.rowCount());
    Frame head = frame.slice(0, k);
    Frame tail = frame.slice(k, frame.rowCount());
    assertEquals(frame.rowCount(), head.rowCount() + tail.rowCount());
    for (int i = 0; i < frame.rowCount(); i++) {
      Frame part = i < k ? head : tail;
      assertEquals(frame.row(i), part.row(i < k ? i : i - k));
    }
    assertEquals(head, frame.filter(i -> i < k));
  }

  @Property(tries = 100)
  void inferredNumericColumnsRoundTripWithoutASchema(
      @ForAll("numbers") List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Frame f = Frame.builder(Schema.of(Field.optional("x", FieldType.DOUBLE))).column("x", v).build();
    Frame back = Frame.readCsv(new StringReader(f.toCsv()), "inferred", null);
    assertEquals(FieldType.DOUBLE, back.schema().field("x").type());
    assertEquals(f.numeric("x"), back.numeric("x"));
  }

  @Provide
  Arbitrary<List<Double>> numbers() {
    return Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.just(Double.NaN)).list().ofMinSize(1).ofMaxSize(20);
  }
}
