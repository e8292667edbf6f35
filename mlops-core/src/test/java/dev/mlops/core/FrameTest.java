package dev.mlops.core;

import static dev.mlops.core.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

class FrameTest {
  private final Schema schema =
      Schema.of(Field.of("x", FieldType.DOUBLE), Field.of("n", FieldType.LONG), Field.optional("c", FieldType.STRING));

  private Frame sample() {
    return Frame.builder(schema).row(1.5, 2L, "a").row(null, 3, "b").row(3.0, 4, null).build();
  }

  @Test
  void buildsFromRowsAndMaps() {
    Frame f = Frame.builder(schema).row(Map.of("x", 1.5, "n", 2L, "c", "a")).row(Map.of("n", 3)).build();
    assertEquals(2, f.rowCount());
    assertTrue(f.numeric("x").isMissing(1));
    assertNull(f.categorical("c").get(1));
    assertEquals(Map.of("x", 1.5, "n", 2.0, "c", "a"), f.row(0));
  }

  @Test
  void wrongValuesNameTheColumnAndTheValue() {
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.builder(schema).row("one", 2, "a")), "column 'x'", "'one'", "double");
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.builder(schema).row(1.0, 2)), "2 values", "3 columns");
    assertMentions(assertThrows(InvalidInputException.class, () -> Frame.builder(schema).row(Map.of("zip", 1))), "'zip'");
  }

  @Test
  void columnsOfDifferentLengthAreRefusedAtBuild() {
    FrameBuilder b = Frame.builder(schema).column("x", new double[] {1}).column("n", new double[] {1, 2}).column("c", new String[] {"a"});
    assertMentions(assertThrows(InvalidInputException.class, b::build), "'n'", "2 values");
  }

  @Test
  void selectSliceAndFilterShareOrCopyAsDocumented() {
    Frame f = sample();
    Frame s = f.select("c", "x");
    assertEquals(List.of("c", "x"), s.columnNames());
    Frame sl = f.slice(1, 3);
    assertEquals(2, sl.rowCount());
    assertEquals(3.0, sl.numeric("x").get(1));
    Frame big = f.filter(i -> f.numeric("n").get(i) >= 3);
    assertArrayEquals(new double[] {3, 4}, big.numeric("n").toArray());
    assertMentions(assertThrows(InvalidInputException.class, () -> f.slice(2, 5)), "[2, 5)", "3 rows");
    assertMentions(assertThrows(InvalidInputException.class, () -> f.numeric("c")), "'c'", "categorical");
    assertMentions(assertThrows(InvalidInputException.class, () -> f.categorical("x")), "'x'", "numeric");
    assertMentions(assertThrows(NotFoundException.class, () -> f.column("zip")), "'zip'");
  }

  @Test
  void columnAccessDoesNotCopyAndCannotMutate() {
    Frame f = sample();
    assertTrue(f.numeric("x") == f.numeric("x"));
    double[] copy = f.numeric("x").toArray();
    copy[0] = 99;
    assertEquals(1.5, f.numeric("x").get(0));
    assertEquals(1, f.numeric("x").missingCount());
    assertArrayEquals(new double[] {1.5, 3.0}, f.numeric("x").nonMissing());
  }

  @Test
  void fromTribuoClassificationDataset() {
    LabelFactory factory = new LabelFactory();
    ListDataSource<Label> source = new ListDataSource<>(
        List.of(
            new ArrayExample<>(new Label("yes"), new String[] {"b", "a"}, new double[] {2, 1}),
            new ArrayExample<>(new Label("no"), new String[] {"a"}, new double[] {3})),
        factory, new SimpleDataSourceProvenance("test", factory));
    Frame f = Frame.fromTribuo(new MutableDataset<>(source));
    assertEquals(List.of("a", "b", "output"), f.columnNames());
    assertArrayEquals(new double[] {1, 3}, f.numeric("a").toArray());
    assertArrayEquals(new double[] {2, 0}, f.numeric("b").toArray());
    assertArrayEquals(new String[] {"yes", "no"}, f.categorical("output").toArray());
  }

  @Test
  void fromTribuoRegressionDatasetHasANumericOutput() {
    RegressionFactory factory = new RegressionFactory();
    ListDataSource<Regressor> source = new ListDataSource<>(
        List.of(
            new ArrayExample<>(new Regressor("y", 1.25), new String[] {"a"}, new double[] {2}),
            new ArrayExample<>(new Regressor("y", -3), new String[] {"a"}, new double[] {1})),
        factory, new SimpleDataSourceProvenance("test", factory));
    Frame f = Frame.fromTribuo(new MutableDataset<>(source));
    assertArrayEquals(new double[] {1.25, -3}, f.numeric("output").toArray());
  }
}
