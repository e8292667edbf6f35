package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.Regressor;

/** The predictor enforces the signature as MLflow does, with messages that name what is wrong. */
class SignatureEnforcementTest {
  private static final Schema THREE = Schema.of(
      Field.of("x1", FieldType.DOUBLE), Field.of("x2", FieldType.DOUBLE), Field.of("n", FieldType.LONG),
      Field.optional("city", FieldType.STRING));
  private static final ModelSignature SIGNATURE = ModelSignature.of(THREE, Label.class, List.of("neg", "pos"));
  private static final Predictor<Label> PREDICTOR =
      ModelPackage.builder("sig").version("1").model(PackageFixture.MODEL).signature(SIGNATURE)
          .environment(PackageFixture.ENVIRONMENT).build().predictor(Label.class);

  private static Map<String, Object> row(Object... keyValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  @Test
  void everyMissingRequiredInputIsNamed() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PREDICTOR.predict(row("x2", 1.0)));
    assertEquals(
        "missing required inputs [x1, n]; the model's signature requires [x1, x2, n]. Add the missing inputs",
        e.getMessage());
  }

  @Test
  void aNullOrNaNCountsAsMissing() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PREDICTOR.predict(row("x1", Double.NaN, "x2", null, "n", 1L)));
    assertTrue(e.getMessage().startsWith("missing required inputs [x1, x2];"), e.getMessage());
  }

  @Test
  void aValueOfTheWrongTypeNamesColumnExpectedAndActualType() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PREDICTOR.predict(row("x1", "0.5", "x2", 1.0, "n", 3L)));
    assertEquals("input 'x1' expects type double but got string (only long widens to double)", e.getMessage());
    InvalidInputException narrowing = assertThrows(InvalidInputException.class, () -> PREDICTOR.predict(row("x1", 0.5, "x2", 1.0, "n", 3.0)));
    assertEquals("input 'n' expects type long but got double", narrowing.getMessage());
    InvalidInputException both = assertThrows(InvalidInputException.class, () -> PREDICTOR.predict(row("x1", true, "x2", 1.0, "n", 3L, "city", 4)));
    assertEquals(
        "input 'x1' expects type double but got boolean (only long widens to double); input 'city' expects type string but got integer",
        both.getMessage());
  }

  @Test
  void longWidensToDoubleAndGivesTheSamePrediction() {
    Prediction<Label> asDouble = PREDICTOR.predict(row("x1", 2.0, "x2", -1.0, "n", 1L));
    Prediction<Label> asLong = PREDICTOR.predict(row("x1", 2L, "x2", -1, "n", 1));
    assertEquals(asDouble.getOutput(), asLong.getOutput());
    assertEquals(asDouble.getOutput().getScore(), asLong.getOutput().getScore());
  }

  @Test
  void extraInputsAreIgnored() {
    Prediction<Label> plain = PREDICTOR.predict(row("x1", 2.0, "x2", -1.0, "n", 1L));
    Prediction<Label> extra = PREDICTOR.predict(row("x1", 2.0, "x2", -1.0, "n", 1L, "unknown", "anything", "x3", 9.0));
    assertEquals(plain.getOutput().getScore(), extra.getOutput().getScore());
    assertEquals(plain.getOutputScores().keySet(), extra.getOutputScores().keySet());
  }

  @Test
  void predictionsCarryScoresForEveryLabel() {
    Prediction<Label> p = PREDICTOR.predict(row("x1", 2.0, "x2", -1.0, "n", 1L));
    assertTrue(PREDICTOR.hasScores());
    assertEquals(Set.of("neg", "pos"), p.getOutputScores().keySet());
    double total = p.getOutputScores().values().stream().mapToDouble(Label::getScore).sum();
    assertEquals(1.0, total, 1e-9);
  }

  @Test
  void aFrameIsCheckedColumnByColumnThenRowByRow() {
    Frame wrongType = Frame.builder(Schema.of(Field.of("x1", FieldType.STRING), Field.of("x2", FieldType.DOUBLE), Field.of("n", FieldType.LONG)))
        .row("a", 1.0, 2L).build();
    assertEquals("input 'x1' expects type double but got string (only long widens to double)",
        assertThrows(InvalidInputException.class, () -> PREDICTOR.predict(wrongType)).getMessage());

    Frame missingColumn = Frame.builder(Schema.of(Field.of("x1", FieldType.DOUBLE))).row(1.0).build();
    assertEquals("missing required inputs [x2, n]; the model's signature requires [x1, x2, n]. Add the missing inputs",
        assertThrows(InvalidInputException.class, () -> PREDICTOR.predict(missingColumn)).getMessage());

    Frame missingValue = Frame.builder(Schema.of(Field.of("x1", FieldType.LONG), Field.of("x2", FieldType.DOUBLE), Field.of("n", FieldType.LONG)))
        .row(1L, 1.0, 2L).row(2L, null, 3L).build();
    assertTrue(assertThrows(InvalidInputException.class, () -> PREDICTOR.predict(missingValue)).getMessage()
        .startsWith("row 1: missing required inputs [x2];"));

    Frame good = Frame.builder(Schema.of(Field.of("x1", FieldType.LONG), Field.of("x2", FieldType.DOUBLE), Field.of("n", FieldType.LONG)))
        .row(1L, 1.0, 2L).row(2L, -1.0, 3L).build();
    List<Prediction<Label>> predictions = PREDICTOR.predict(good);
    assertEquals(2, predictions.size());
    assertEquals(PREDICTOR.predict(row("x1", 2.0, "x2", -1.0, "n", 3L)).getOutput().getScore(), predictions.get(1).getOutput().getScore());
  }

  @Test
  void stringInputsBecomeOneHotFeatures() {
    List<Example<Label>> examples = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 200; i++) {
      String city = random.nextBoolean() ? "paris" : "oslo";
      double x = random.nextDouble(-1, 1);
      Label label = new Label(city.equals("paris") ^ x > 0.5 ? "yes" : "no");
      examples.add(new ArrayExample<>(label, new String[] {"city@" + city, "x"}, new double[] {1.0, x}));
    }
    var factory = new LabelFactory();
    var source = new ListDataSource<>(examples, factory, new SimpleDataSourceProvenance("cities", factory));
    var model = new LogisticRegressionTrainer().train(new MutableDataset<>(source));
    ModelSignature signature = ModelSignature.of(
        Schema.of(Field.of("city", FieldType.STRING), Field.of("x", FieldType.DOUBLE)), Label.class, List.of("no", "yes"));
    Predictor<Label> predictor = ModelPackage.builder("cities").version("1").model(model).signature(signature)
        .environment(PackageFixture.ENVIRONMENT).build().predictor(Label.class);

    Prediction<Label> viaSignature = predictor.predict(row("city", "paris", "x", 0.2));
    Prediction<Label> direct = model.predict(new ArrayExample<>(
        LabelFactory.UNKNOWN_LABEL, new String[] {"city@paris", "x"}, new double[] {1.0, 0.2}));
    assertEquals(direct.getOutput().getLabel(), viaSignature.getOutput().getLabel());
    assertEquals(direct.getOutput().getScore(), viaSignature.getOutput().getScore());
  }

  @Test
  void anInputExampleThatDoesNotFitIsRefusedWhenBuilding() {
    Frame example = Frame.builder(Schema.of(Field.of("x1", FieldType.DOUBLE))).row(1.0).build();
    InvalidInputException e = assertThrows(InvalidInputException.class, () ->
        ModelPackage.builder("sig").version("1").model(PackageFixture.MODEL).inputExample(example).build());
    assertEquals(
        "the input example does not fit the signature: missing required inputs [x2]; the model's signature requires [x1, x2]. Add the missing inputs",
        e.getMessage());
  }

  @Test
  void aSignatureForAnotherOutputTypeIsRefused() {
    ModelSignature regression = ModelSignature.of(THREE, Regressor.class, List.of("y"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () ->
        ModelPackage.builder("sig").version("1").model(PackageFixture.MODEL).signature(regression).build());
    assertEquals(
        "the signature's output type org.tribuo.regression.Regressor does not match the model's org.tribuo.classification.Label",
        e.getMessage());
  }
}
