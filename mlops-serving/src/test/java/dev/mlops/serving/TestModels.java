package dev.mlops.serving;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.packaging.ModelPackage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleBinaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Small classifiers over two numeric inputs, x1 and x2, with the labels "pos" and "neg". The
 * {@link #RISING} model says "pos" where x1 > 0, the {@link #FALLING} one where x1 < 0, so on
 * rows with a clear x1 their answers tell which of the two answered.
 */
final class TestModels {
  static final DoubleBinaryOperator RISING = (x1, x2) -> x1;
  static final DoubleBinaryOperator FALLING = (x1, x2) -> -x1;
  static final DoubleBinaryOperator DIAGONAL = (x1, x2) -> x1 + x2;

  // Tribuo reports every training on java.util.logging; keep the test output to what matters.
  private static final Logger TRIBUO = quiet();
  private static final Map<DoubleBinaryOperator, Model<Label>> TRAINED = new ConcurrentHashMap<>();

  private TestModels() {}

  private static Logger quiet() {
    Logger logger = Logger.getLogger("org.tribuo");
    logger.setLevel(Level.WARNING);
    return logger;
  }

  /** A logistic regression that learned "pos" where {@code score(x1, x2) > 0}. */
  static Model<Label> classifier(DoubleBinaryOperator score, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Example<Label>> examples = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double x1 = random.nextDouble(-3, 3);
      double x2 = random.nextDouble(-3, 3);
      Label label = new Label(score.applyAsDouble(x1, x2) > 0 ? "pos" : "neg");
      examples.add(new ArrayExample<>(label, new String[] {"x1", "x2"}, new double[] {x1, x2}));
    }
    ListDataSource<Label> data = new ListDataSource<>(
        examples, new LabelFactory(), new SimpleDataSourceProvenance("generated", new LabelFactory()));
    return new LogisticRegressionTrainer().train(new MutableDataset<>(data));
  }

  /** A package of that classifier. */
  static ModelPackage pkg(String name, String version, DoubleBinaryOperator score) {
    Model<Label> model = TRAINED.computeIfAbsent(score, s -> classifier(s, 7));
    return ModelPackage.builder(name).version(version).model(model).build();
  }

  /** The rows as a {@code dataframe_split} body over the columns x1 and x2. */
  static ObjectNode splitBody(List<Map<String, Object>> rows) {
    ObjectNode split = CanonicalJson.object();
    ObjectNode frame = split.putObject(InvocationRequest.SPLIT);
    frame.putArray("columns").add("x1").add("x2");
    ArrayNode data = frame.putArray("data");
    for (Map<String, Object> row : rows) {
      data.addArray().add((Double) row.get("x1")).add((Double) row.get("x2"));
    }
    return split;
  }

  /** A service following {@code models:/clf@champion}, version 1 of which is this classifier, without polling. */
  static ModelService service(Path dir, DoubleBinaryOperator score) {
    FolderModelSource source = new FolderModelSource(dir);
    source.register("clf", pkg("clf", "a", score));
    source.setAlias("clf", "champion", 1);
    return ModelService.builder(source, "models:/clf@champion").pollEvery(Duration.ZERO).build();
  }

  /** Rows with x1 and x2 in [-3, 3], x1 kept away from 0 so the models above answer clearly. */
  static List<Map<String, Object>> rows(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double x1 = random.nextDouble(0.5, 3) * (random.nextBoolean() ? 1 : -1);
      Map<String, Object> row = new HashMap<>();
      row.put("x1", x1);
      row.put("x2", random.nextDouble(-3, 3));
      rows.add(row);
    }
    return rows;
  }
}
