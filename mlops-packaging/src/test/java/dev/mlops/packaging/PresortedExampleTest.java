package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableFeatureMap;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

/**
 * The examples a predictor builds without sorting are, to anyone holding a prediction, plain
 * Tribuo examples; and the predictor gives the same answers from many threads as from one.
 */
class PresortedExampleTest {
  private static final Predictor<Label> PREDICTOR = ModelPackage.builder("presorted").version("1").model(PackageFixture.MODEL)
      .environment(PackageFixture.ENVIRONMENT).build().predictor(Label.class);

  @Test
  void aPredictionsExampleSerializesAsAPlainArrayExample() throws IOException, ClassNotFoundException {
    Example<Label> example = PREDICTOR.predict(Map.of("x1", 0.5, "x2", -1.0)).getExample();
    ArrayExample<Label> plain = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, new String[] {"x2", "x1"}, new double[] {-1.0, 0.5});
    assertEquals(plain, example);
    assertEquals(ArrayExample.class, example.copy().getClass());

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(example);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("org.tribuo.**;java.**;!*"));
      Object read = in.readObject();
      assertEquals(ArrayExample.class, read.getClass());
      assertEquals(plain, read);
    }

    Example<?> fromProto = Example.deserialize(example.serialize());
    assertEquals(ArrayExample.class, fromProto.getClass());
    assertEquals(plain, fromProto);
  }

  /**
   * Rows with every input present share one array of feature names; whatever Tribuo's in-place
   * methods do to one prediction's example, the names of every other example, earlier or later,
   * stay the very strings they were.
   */
  @Test
  void changingOneExampleInPlaceLeavesEveryOtherExampleAsItWas() {
    Map<String, Object> row = new java.util.LinkedHashMap<>();
    row.put("x1", 0.5);
    row.put("x2", -1.0);
    List<Example<Label>> examples = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      examples.add(PREDICTOR.predict(row).getExample());
    }
    List<List<String>> before = examples.stream().map(PresortedExampleTest::names).toList();
    MutableFeatureMap renamed = new MutableFeatureMap();
    renamed.add(new String("x1"), 1.0);
    renamed.add(new String("x2"), 1.0);

    examples.get(0).canonicalize(renamed);
    examples.get(1).reduceByName(org.tribuo.util.Merger.add());
    examples.get(2).densify(renamed);
    examples.get(3).add(new Feature("x0", 3.0));
    examples.get(4).addAll(List.of(new Feature("x3", 1.0)));
    Example<Label> later = PREDICTOR.predict(row).getExample();

    for (int i = 0; i < 6; i++) {
      List<String> now = names(examples.get(i));
      if (i == 0) {
        assertEquals(before.get(i), now);
        continue;
      }
      if (i >= 3 && i <= 4) {
        continue;
      }
      for (int f = 0; f < now.size(); f++) {
        assertSame(before.get(5).get(f), now.get(f), "example " + i + ", feature " + f);
      }
    }
    for (int f = 0; f < later.size(); f++) {
      assertSame(before.get(5).get(f), names(later).get(f));
    }
    assertEquals(List.of("x0", "x1", "x2"), names(examples.get(3)));
    assertEquals(List.of("x1", "x2", "x3"), names(examples.get(4)));
  }

  private static List<String> names(Example<?> example) {
    List<String> names = new ArrayList<>();
    for (Feature f : example) {
      names.add(f.getName());
    }
    return names;
  }

  @Test
  void concurrentPredictionsEqualSequentialOnes() throws InterruptedException, ExecutionException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      rows.add(Map.of("x1", (i % 61) / 10.0 - 3, "x2", (long) (i % 7) - 3));
    }
    List<Double> sequential = rows.stream().map(r -> PREDICTOR.predict(r).getOutput().getScore()).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Double>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> rows.stream().map(r -> PREDICTOR.predict(r).getOutput().getScore()).toList()));
      }
      for (Future<List<Double>> result : results) {
        assertEquals(sequential, result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
