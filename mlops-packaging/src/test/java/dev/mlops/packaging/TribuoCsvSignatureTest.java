package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.data.columnar.FieldProcessor;
import org.tribuo.data.columnar.RowProcessor;
import org.tribuo.data.columnar.processors.field.DoubleFieldProcessor;
import org.tribuo.data.columnar.processors.field.IdentityProcessor;
import org.tribuo.data.columnar.processors.response.FieldResponseProcessor;
import org.tribuo.data.csv.CSVDataSource;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * Models trained from a CSV, by Tribuo's own columnar reader or through a frame, are packaged
 * with signatures of the raw columns, and the CSV's raw rows predict as the training examples do.
 */
class TribuoCsvSignatureTest {
  private static final Path CSV = resource("tribuo/customers.csv");
  private static final Schema RAW = Schema.of(Field.of("age", FieldType.DOUBLE), Field.of("income", FieldType.DOUBLE),
      Field.of("region", FieldType.STRING));

  private static Path resource(String name) {
    try {
      return Path.of(TribuoCsvSignatureTest.class.getClassLoader().getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static MutableDataset<Label> readByTribuo() {
    Map<String, FieldProcessor> fields = new LinkedHashMap<>();
    fields.put("age", new DoubleFieldProcessor("age"));
    fields.put("income", new DoubleFieldProcessor("income"));
    fields.put("region", new IdentityProcessor("region"));
    RowProcessor<Label> rows = new RowProcessor<>(new FieldResponseProcessor<>("label", "UNK", new LabelFactory()), fields);
    return new MutableDataset<>(new CSVDataSource<>(CSV, rows, true));
  }

  @Test
  void tribuoColumnarFeatureNamesMapBackToTheRawColumns() {
    MutableDataset<Label> data = readByTribuo();
    TreeSet<String> names = new TreeSet<>();
    data.getFeatureMap().forEach(v -> names.add(v.getName()));
    assertTrue(names.containsAll(List.of("age@value", "income@value", "region@east", "region@north", "region@west")),
        names.toString());
    Model<Label> model = new LogisticRegressionTrainer().train(data);
    ModelSignature s = ModelSignature.infer(model);
    assertEquals(RAW, s.inputs());
    assertEquals(Map.of("age", "age@value", "income", "income@value"), s.features());
    // Tribuo's response processor upper-cases labels by default.
    assertEquals(List.of("NO", "YES"), s.outputDomain());
    assertEquals(s, ModelSignature.fromJson(s.toJson()));
  }

  @Test
  void rawRowsOfTheCsvPredictAsTribuosOwnExamplesDo() {
    MutableDataset<Label> data = readByTribuo();
    Model<Label> model = new LogisticRegressionTrainer().train(data);
    Frame raw = Frame.readCsv(CSV);
    Frame example = raw.select("age", "income", "region").slice(0, 3);
    ModelPackage pkg = ModelPackage.builder("customers").version("1").model(model).inputExample(example).build();
    Predictor<Label> predictor = pkg.predictor(Label.class);
    List<Prediction<Label>> byFrame = predictor.predict(raw.select("age", "income", "region"));
    int i = 0;
    for (Example<Label> ex : data) {
      Prediction<Label> expected = model.predict(ex);
      Map<String, Object> row = Map.of("age", raw.numeric("age").get(i), "income", raw.numeric("income").get(i),
          "region", raw.categorical("region").get(i));
      assertEquals(expected.getOutput(), predictor.predict(row).getOutput(), "row " + i);
      assertEquals(expected.getOutput().getScore(), predictor.predict(row).getOutput().getScore(), 1e-12, "row " + i);
      assertEquals(expected.getOutput(), byFrame.get(i).getOutput(), "row " + i);
      i++;
    }
    assertEquals(raw.rowCount(), i);
    Prediction<Label> typed = predictor.predict(Map.of("age", 41, "income", 55.5, "region", "east"));
    assertTrue(List.of("NO", "YES").contains(typed.getOutput().getLabel()));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> predictor.predict(Map.of("age@value", 41.0, "income", 55.5, "region", "east")));
    assertTrue(e.getMessage().contains("age"), e.getMessage());
  }

  @Test
  void oneCsvReadTrainsAndGivesTheSignatureAsMlflowInfersIt() {
    Frame frame = Frame.readCsv(CSV);
    MutableDataset<Label> data = frame.toTribuo("label", new LabelFactory());
    assertEquals(frame.rowCount(), data.size());
    Model<Label> model = new LogisticRegressionTrainer().train(data);
    ModelSignature fromFrame = ModelSignature.infer(frame, "label");
    // The frame's column order, as MLflow keeps it; the model's inference sorts by name.
    assertEquals(List.of("age", "region", "income"), fromFrame.inputs().names());
    assertEquals(new TreeSet<>(RAW.fields().stream().map(Field::toString).toList()),
        new TreeSet<>(fromFrame.inputs().fields().stream().map(Field::toString).toList()));
    assertEquals(Label.class.getName(), fromFrame.outputType());
    assertEquals(List.of("no", "yes"), fromFrame.outputDomain());
    ModelSignature fromModel = ModelSignature.infer(model);
    assertEquals(RAW, fromModel.inputs());
    assertEquals(fromFrame.outputDomain(), fromModel.outputDomain());
    assertEquals(Map.of(), fromModel.features());
    Predictor<Label> predictor = ModelPackage.builder("customers").version("1").model(model).signature(fromFrame)
        .inputExample(frame.select("age", "income", "region")).build().predictor(Label.class);
    int i = 0;
    for (Example<Label> ex : data) {
      Map<String, Object> row = new LinkedHashMap<>(frame.row(i));
      row.remove("label");
      assertEquals(model.predict(ex).getOutput(), predictor.predict(row).getOutput(), "row " + i);
      i++;
    }
  }

  @Test
  void aNumericOutputColumnGivesARegressorNamedAfterIt() {
    Frame frame = Frame.readCsv(CSV).select("age", "region", "income");
    MutableDataset<Regressor> data = frame.toTribuo("income", new RegressionFactory());
    Model<Regressor> model = new LinearSGDTrainer(new SquaredLoss(), new org.tribuo.math.optimisers.AdaGrad(0.1), 5, 1L)
        .train(data);
    ModelSignature s = ModelSignature.infer(frame, "income");
    assertEquals(Regressor.class.getName(), s.outputType());
    assertEquals(List.of("income"), s.outputDomain());
    assertEquals(s.outputDomain(), ModelSignature.infer(model).outputDomain());
    assertEquals(s.outputType(), ModelSignature.infer(model).outputType());
    Predictor<Regressor> predictor = ModelPackage.builder("income").version("1").model(model).signature(s).build()
        .predictor(Regressor.class);
    Example<Regressor> first = data.getExample(0);
    assertEquals(model.predict(first).getOutput().getValues()[0],
        predictor.predict(Map.of("age", frame.numeric("age").get(0), "region", frame.categorical("region").get(0)))
            .getOutput().getValues()[0], 1e-12);
  }

  @Test
  void ambiguousOrForeignFeatureNamesStayInputsOfTheirOwn() {
    TreeSet<String> names = new TreeSet<>(List.of("age", "age@value", "plain", "x@1", "x@2", "t@1-N=good"));
    assertEquals(List.of(Field.of("age", FieldType.DOUBLE), Field.of("age@value", FieldType.DOUBLE),
        Field.of("plain", FieldType.DOUBLE), Field.of("t@1-N=good", FieldType.DOUBLE), Field.of("x", FieldType.STRING)),
        TribuoColumns.inputs(names));
    assertEquals(Map.of(), TribuoColumns.features(names));
    assertThrows(InvalidInputException.class, () -> new ModelSignature(RAW, Label.class.getName(), List.of("a"),
        Map.of("region", "region@value")));
  }

  @Test
  void aMissingOutputIsNamedWithItsRow() {
    Frame f = Frame.builder(Schema.of(Field.of("x", FieldType.DOUBLE), Field.optional("y", FieldType.STRING)))
        .row(1.0, "a").row(2.0, null).build();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> f.toTribuo("y", new LabelFactory()));
    assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("'y'"), e.getMessage());
  }
}
