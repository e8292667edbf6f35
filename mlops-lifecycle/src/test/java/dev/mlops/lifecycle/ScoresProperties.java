package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;

/** A classifier's holdout scores are those of their definitions, label by label. */
class ScoresProperties {
  @Property(tries = 300)
  void macroF1IsTheMeanOfEachLabelsF1(@ForAll("pairs") List<String> pairs) {
    String[] truth = pairs.stream().map(p -> p.substring(0, 1)).toArray(String[]::new);
    String[] predicted = pairs.stream().map(p -> p.substring(1)).toArray(String[]::new);
    TreeSet<String> labels = new TreeSet<>(List.of(truth));
    labels.addAll(List.of(predicted));
    double sum = 0;
    int right = 0;
    for (String label : labels) {
      int tp = 0;
      int fp = 0;
      int fn = 0;
      for (int i = 0; i < truth.length; i++) {
        boolean t = truth[i].equals(label);
        boolean p = predicted[i].equals(label);
        tp += t && p ? 1 : 0;
        fp += p && !t ? 1 : 0;
        fn += t && !p ? 1 : 0;
      }
      sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
    for (int i = 0; i < truth.length; i++) {
      right += truth[i].equals(predicted[i]) ? 1 : 0;
    }
    Map<String, Double> s = Scores.of(truth, predicted);
    assertEquals(sum / labels.size(), s.get("macro_f1"));
    assertEquals((double) right / truth.length, s.get("accuracy"));
    assertEquals(1 - (double) right / truth.length, s.get("error_rate"));
  }

  @Provide
  Arbitrary<List<String>> pairs() {
    Arbitrary<String> label = Arbitraries.of("a", "b", "c", "d");
    return label.list().ofSize(2).map(l -> l.get(0) + l.get(1)).list().ofMinSize(1).ofMaxSize(60);
  }
}
