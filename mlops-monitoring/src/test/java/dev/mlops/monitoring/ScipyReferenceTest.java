package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every statistic against the values SciPy gives (fixtures written by
 * src/test/resources/fixtures/generate.py): statistics to 1e-9, p-values to 1e-6.
 */
class ScipyReferenceTest {
  private static final double STATISTIC = 1e-9;
  private static final double P_VALUE = 1e-6;

  private static JsonNode fixtures() throws IOException {
    try (InputStream in = ScipyReferenceTest.class.getResourceAsStream("/fixtures/scipy-drift.json")) {
      return CanonicalJson.parse(in.readAllBytes());
    }
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  private static String[] strings(JsonNode array) {
    String[] out = new String[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asText();
    }
    return out;
  }

  private static ColumnDrift run(Frame ref, Frame cur, String column, StatTest test) {
    return Drift.between(ref, cur).test(column, test).run().column(column);
  }

  @TestFactory
  Stream<DynamicTest> numericCasesAgreeWithScipy() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : fixtures().get("numeric")) {
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
        double[] r = doubles(c.get("reference"));
        double[] u = doubles(c.get("current"));
        Frame ref = Frames.numeric("x", r);
        Frame cur = Frames.numeric("x", u);
        ColumnDrift ks = run(ref, cur, "x", StatTest.ks());
        assertEquals(c.get("ks").get("statistic").asDouble(), ks.statistic(), STATISTIC, "ks statistic");
        assertEquals(c.get("ks").get("pValue").asDouble(), ks.pValue().getAsDouble(), P_VALUE, "ks p-value");
        assertEquals(c.get("wasserstein").asDouble(), run(ref, cur, "x", StatTest.wasserstein()).statistic(),
            STATISTIC, "wasserstein");
        assertEquals(c.get("psi").asDouble(), run(ref, cur, "x", StatTest.psi()).statistic(), STATISTIC, "psi");
        assertEquals(c.get("jensenShannon").asDouble(), run(ref, cur, "x", StatTest.jensenShannon()).statistic(),
            STATISTIC, "jensenShannon");
        assertEquals(c.get("hellinger").asDouble(), run(ref, cur, "x", StatTest.hellinger()).statistic(), STATISTIC,
            "hellinger");
        ColumnDrift chi = run(ref, cur, "x", StatTest.chiSquare());
        assertEquals(c.get("chiSquare").get("statistic").asDouble(), chi.statistic(), STATISTIC, "chi-square");
        assertEquals(c.get("chiSquare").get("pValue").asDouble(), chi.pValue().getAsDouble(), P_VALUE, "chi-square p");
        if (c.has("z")) {
          ColumnDrift z = run(ref, cur, "x", StatTest.z());
          assertEquals(c.get("z").get("statistic").asDouble(), z.statistic(), STATISTIC, "z");
          assertEquals(c.get("z").get("pValue").asDouble(), z.pValue().getAsDouble(), P_VALUE, "z p-value");
        }
        if (!c.get("edges").isNull()) {
          SortedSample s = SortedSample.of(ref.numeric("x"));
          assertArrayEquals(doubles(c.get("edges")), s.referenceBinning().edges(), 0.0, "decile edges");
          assertArrayEquals(doubles(c.get("currentBins")),
              SortedSample.of(cur.numeric("x")).countsIn(s.referenceBinning()), 0.0, "current bin counts");
        }
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> categoricalCasesAgreeWithScipy() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : fixtures().get("categorical")) {
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
        Frame ref = Frames.categorical("c", strings(c.get("reference")));
        Frame cur = Frames.categorical("c", strings(c.get("current")));
        ColumnDrift chi = run(ref, cur, "c", StatTest.chiSquare());
        assertEquals(c.get("chiSquare").get("statistic").asDouble(), chi.statistic(), STATISTIC, "chi-square");
        assertEquals(c.get("chiSquare").get("pValue").asDouble(), chi.pValue().getAsDouble(), P_VALUE, "chi-square p");
        assertEquals(c.get("psi").asDouble(), run(ref, cur, "c", StatTest.psi()).statistic(), STATISTIC, "psi");
        assertEquals(c.get("jensenShannon").asDouble(), run(ref, cur, "c", StatTest.jensenShannon()).statistic(),
            STATISTIC, "jensenShannon");
        assertEquals(c.get("hellinger").asDouble(), run(ref, cur, "c", StatTest.hellinger()).statistic(), STATISTIC,
            "hellinger");
        if (c.has("z")) {
          ColumnDrift z = run(ref, cur, "c", StatTest.z());
          assertEquals(c.get("z").get("statistic").asDouble(), z.statistic(), STATISTIC, "z");
          assertEquals(c.get("z").get("pValue").asDouble(), z.pValue().getAsDouble(), P_VALUE, "z p-value");
        }
        assertTrue(chi.tested());
      }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> profilesHoldingEveryValueGiveTheExactNumbers() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : fixtures().get("numeric")) {
      double[] r = doubles(c.get("reference"));
      double[] u = doubles(c.get("current"));
      if (r.length > Profile.EXACT_LIMIT || u.length > Profile.EXACT_LIMIT) {
        continue;
      }
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
        Profile ref = Profile.of(Frames.numeric("x", r));
        Profile cur = Profile.of(Frames.numeric("x", u));
        ColumnDrift ks = Drift.between(ref, cur).test("x", StatTest.ks()).run().column("x");
        assertEquals(c.get("ks").get("statistic").asDouble(), ks.statistic(), STATISTIC, "ks statistic");
        assertEquals(c.get("ks").get("pValue").asDouble(), ks.pValue().getAsDouble(), P_VALUE, "ks p-value");
        double w = Drift.between(ref, cur).test("x", StatTest.wasserstein()).run().column("x").statistic();
        assertEquals(c.get("wasserstein").asDouble(), w, STATISTIC, "wasserstein");
      }));
    }
    return tests.stream();
  }
}
