package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Schema;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Profile statistics, JSON form and refusals. */
class ProfileTest {
  private static Frame sample(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    String[] c = new String[n];
    for (int i = 0; i < n; i++) {
      x[i] = i % 10 == 0 ? Double.NaN : r.nextDouble() * 100;
      c[i] = i % 7 == 0 ? null : "k" + r.nextInt(5);
    }
    return Frame.builder(Schema.of(Field.optional("x", FieldType.DOUBLE), Field.optional("c", FieldType.STRING)))
        .column("x", x).column("c", c).build();
  }

  @Test
  void numericStatisticsMatchADirectComputation() {
    Frame f = sample(10_000, 1);
    double[] values = f.numeric("x").nonMissing();
    double mean = Arrays.stream(values).average().orElseThrow();
    double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length;
    ColumnProfile x = Profile.of(f).column("x");
    assertEquals(values.length, x.count());
    assertEquals(1000, x.missing());
    assertEquals(mean, x.mean().getAsDouble(), 1e-9 * mean);
    assertEquals(variance, x.variance().getAsDouble(), 1e-9 * variance);
    assertEquals(Arrays.stream(values).min().orElseThrow(), x.min().getAsDouble());
    assertEquals(Arrays.stream(values).max().orElseThrow(), x.max().getAsDouble());
    assertEquals(50, x.quantile(0.5).getAsDouble(), 2.0);
    ColumnProfile c = Profile.of(f).column("c");
    assertEquals(5, c.categories().size());
    assertEquals(10_000 - 1429, c.count());
  }

  @Test
  void profilerReportsProgressPerColumn() {
    java.util.List<String> seen = new java.util.ArrayList<>();
    Profile p = Profile.profiler().progress((column, done, total) -> seen.add(column + " " + done + "/" + total))
        .of(sample(50, 8));
    assertEquals(java.util.List.of("x 1/2", "c 2/2"), seen);
    assertEquals(Profile.of(sample(50, 8)), p);
  }

  @Test
  void jsonRoundTripKeepsEverything() {
    Frame small = sample(800, 2);
    Profile p = Profile.of(small);
    Profile back = Profile.fromJson(p.toJson());
    assertEquals(p, back);
    assertEquals(p.toJson(), back.toJson());
    Profile binned = Profile.against(p).of(sample(500, 3));
    assertEquals(binned, Profile.fromJson(binned.toJson()));
  }

  @Test
  void jsonRoundTripOfALargeSketchKeepsItsDistribution() {
    Profile p = Profile.of(sample(200_000, 4));
    Profile back = Profile.fromJson(p.toJson());
    assertEquals(p.column("x").count(), back.column("x").count());
    assertEquals(p.column("x").mean(), back.column("x").mean());
    for (double q = 0.1; q < 1; q += 0.1) {
      assertEquals(p.column("x").quantile(q).getAsDouble(), back.column("x").quantile(q).getAsDouble(), 2.0);
    }
  }

  @Test
  void tamperedOrForeignJsonIsRefused() {
    String json = Profile.of(sample(100, 5)).toJson();
    assertThrows(IntegrityException.class, () -> Profile.fromJson(json.replace("\"rowCount\":100", "\"rowCount\":101")));
    InvalidInputException version = assertThrows(InvalidInputException.class,
        () -> Profile.fromJson(json.replace("\"version\":" + Profile.FORMAT_VERSION, "\"version\":99")));
    assertTrue(version.getMessage().contains("99"));
    assertThrows(InvalidInputException.class, () -> Profile.fromJson("{\"format\":\"something else\"}"));
    assertThrows(InvalidInputException.class, () -> Profile.fromJson("not json"));
  }

  @Test
  void contentThatIsConsistentlyDigestedButImpossibleIsRefused() {
    String json = Profile.of(sample(100, 5)).toJson();
    String negative = resign(json.replaceFirst("\"missing\":\\d+", "\"missing\":-3"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Profile.fromJson(negative));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
    String badLimit = resign(json.replace("\"limit\":10000", "\"limit\":2"));
    assertThrows(InvalidInputException.class, () -> Profile.fromJson(badLimit));
  }

  @Test
  void anOlderFormatVersionIsRefusedSayingHowToRecomputeIt() {
    String json = Profile.of(sample(100, 5)).toJson();
    String old = resign(json.replace("\"version\":" + Profile.FORMAT_VERSION, "\"version\":1"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Profile.fromJson(old));
    assertTrue(e.getMessage().contains("version 1") && e.getMessage().contains("Profile.of(frame)"), e.getMessage());
  }

  @Test
  void textLongerThanTheLimitIsRefusedBeforeItIsParsed() {
    String json = Profile.of(sample(100, 5)).toJson();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Profile.fromJson(json, 100));
    assertTrue(e.getMessage().contains(json.length() + " characters") && e.getMessage().contains("limit of 100"),
        e.getMessage());
    assertThrows(InvalidInputException.class, () -> Profile.fromJson("[" + "1,".repeat(100) + "1]", 64));
  }

  @Test
  void extremeSketchCountsAndShortDistinctCountsAreRefusedByName() {
    double[] x = new double[3_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 7;
    }
    String json = Profile.of(Frames.numeric("x", x)).toJson();
    String heavy = resign(json.replaceFirst("\"zeroCount\":\\d+", "\"zeroCount\":1e308"));
    assertTrue(assertThrows(InvalidInputException.class, () -> Profile.fromJson(heavy)).getMessage()
        .contains("zeroCount"));
    String shortCounts = resign(json.replaceFirst("(\"distinct\":\\{\"counts\":\\[)\\d+,", "$1"));
    assertTrue(!shortCounts.equals(resign(json)));
    assertTrue(assertThrows(InvalidInputException.class, () -> Profile.fromJson(shortCounts)).getMessage()
        .contains("distinct counts"));
  }

  /** The same content with a digest that matches it, as a careless or hostile writer would make. */
  private static String resign(String json) {
    com.fasterxml.jackson.databind.node.ObjectNode o =
        (com.fasterxml.jackson.databind.node.ObjectNode) dev.mlops.core.CanonicalJson.parse(json);
    o.remove("sha256");
    o.put("sha256", dev.mlops.core.Digest.of(dev.mlops.core.CanonicalJson.toString(o)).hex());
    return dev.mlops.core.CanonicalJson.toString(o);
  }

  @Test
  void mergingProfilesOfDifferentShapeIsRefused() {
    Profile a = Profile.of(sample(100, 6));
    Profile other = Profile.of(Frames.numeric("y", new double[] {1, 2}));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> a.merge(other));
    assertTrue(e.getMessage().contains("different columns"));
    Profile binned = Profile.against(a).of(sample(100, 7));
    assertThrows(InvalidInputException.class, () -> a.merge(binned));
    Profile retyped = Profile.of(Frame.builder(Schema.of(Field.optional("x", FieldType.STRING),
        Field.optional("c", FieldType.STRING))).row("a", "b").build());
    assertThrows(InvalidInputException.class, () -> a.merge(retyped));
  }
}
