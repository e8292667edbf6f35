package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The order a search starts its trials in: every trial once, the most work first, the declared
 * order between equal work.
 */
class SearchProperties {
  @Property(tries = 500)
  void trialsStartMostWorkFirstAndInTheDeclaredOrderBetweenEqualWork(@ForAll("searches") Search search) {
    List<Map<String, String>> trials = search.trials();
    List<Integer> order = Search.startOrder(trials);

    assertEquals(trials.size(), order.size());
    assertEquals(trials.size(), new TreeSet<>(order).size(), "every trial starts once: " + order);
    assertTrue(order.stream().allMatch(i -> i >= 0 && i < trials.size()), order.toString());
    for (int k = 1; k < order.size(); k++) {
      int c = work(trials.get(order.get(k - 1))).compareTo(work(trials.get(order.get(k))));
      assertTrue(c > 0 || c == 0 && order.get(k - 1) < order.get(k),
          "trial " + order.get(k - 1) + " " + trials.get(order.get(k - 1)) + " starts before trial " + order.get(k) + " "
              + trials.get(order.get(k)) + " in " + order);
    }
  }

  @Example
  void aGridOfLearningRatesAndEpochsStartsTheLongerEpochsFirst() {
    Search grid = Search.grid("initialLearningRate", 0.05, 0.1).and("epochs", 5, 6);
    // declared: (0.05, 5), (0.05, 6), (0.1, 5), (0.1, 6)
    assertEquals(List.of(1, 3, 0, 2), Search.startOrder(grid.trials()));
    assertEquals(List.of(0, 1, 2), Search.startOrder(Search.grid("initialLearningRate", 0.5, 0.1, 1.0).trials()),
        "settings that are not whole numbers say nothing of the work: the declared order");
  }

  /** The product of a trial's positive whole-number settings, exactly. */
  private static BigInteger work(Map<String, String> trial) {
    BigInteger w = BigInteger.ONE;
    for (String v : trial.values()) {
      if (v.matches("[+-]?\\d+")) {
        BigInteger n = new BigInteger(v);
        if (n.signum() > 0) {
          w = w.multiply(n);
        }
      }
    }
    return w;
  }

  @Provide
  Arbitrary<Search> searches() {
    Arbitrary<Object> value = Arbitraries.oneOf(
        Arbitraries.integers().between(-3, 40).map(i -> (Object) i),
        Arbitraries.longs().between(1, Long.MAX_VALUE).map(l -> (Object) l),
        Arbitraries.doubles().between(0.001, 10).ofScale(3).map(d -> (Object) d),
        Arbitraries.of("auto", "sqrt", "0.5", "007", "+3").map(s -> (Object) s));
    Arbitrary<List<Object>> values = value.list().ofMinSize(1).ofMaxSize(4);
    return values.list().ofMinSize(1).ofMaxSize(3).map(fields -> {
      Search s = null;
      List<String> names = new ArrayList<>(List.of("epochs", "initialLearningRate", "seed"));
      for (int f = 0; f < fields.size(); f++) {
        Object[] v = fields.get(f).toArray();
        s = s == null ? Search.grid(names.get(f), v) : s.and(names.get(f), v);
      }
      return s;
    });
  }
}
