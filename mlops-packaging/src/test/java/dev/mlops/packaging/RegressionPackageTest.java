package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.math.optimisers.AdaGrad;

/** Regression models package, load and predict through the same signature rules. */
class RegressionPackageTest {
  private static Model<Regressor> train() {
    SplittableRandom random = new SplittableRandom(4);
    List<Example<Regressor>> examples = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double a = random.nextDouble(-2, 2);
      double b = random.nextDouble(-2, 2);
      examples.add(new ArrayExample<>(new Regressor("y", 3 * a - b), new String[] {"a", "b"}, new double[] {a, b}));
    }
    RegressionFactory factory = new RegressionFactory();
    var source = new ListDataSource<>(examples, factory, new SimpleDataSourceProvenance("generated", factory));
    return new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1), 5, 1).train(new MutableDataset<>(source));
  }

  @Test
  void aRegressorRoundTripsAndPredictsTheSame(@TempDir Path dir) {
    Model<Regressor> model = train();
    ModelPackage pkg = ModelPackage.builder("prices").version("2").model(model).environment(PackageFixture.ENVIRONMENT).build();
    assertEquals(Regressor.class.getName(), pkg.signature().outputType());
    assertEquals(List.of("y"), pkg.signature().outputDomain());
    assertEquals(Schema.of(Field.of("a", FieldType.DOUBLE), Field.of("b", FieldType.DOUBLE)), pkg.signature().inputs());

    pkg.writeTo(dir.resolve("prices.mlpkg"));
    ModelPackage loaded = ModelPackage.read(dir.resolve("prices.mlpkg"));
    Map<String, Object> row = Map.of("a", 1.0, "b", 2L);
    double expected = pkg.predictor(Regressor.class).predict(row).getOutput().getValues()[0];
    assertEquals(expected, loaded.predictor(Regressor.class).predict(row).getOutput().getValues()[0]);
    assertEquals(expected, ((Regressor) loaded.predictor().predict(row).getOutput()).getValues()[0]);
  }

  @Test
  void aSignatureThatLeavesOutAFeatureIsRefused() {
    ModelSignature partial = ModelSignature.of(Schema.of(Field.of("a", FieldType.DOUBLE)), Regressor.class, List.of("y"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ModelPackage.builder("prices").version("2").model(train()).signature(partial).build());
    assertEquals(
        "the model's feature 'b' is not an input of the signature [a]; add a double input 'b', or let the signature be inferred",
        e.getMessage());
  }
}
