package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.internal.ValueSketch;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A digest proves integrity, not validity: profiles whose content was changed and whose digest
 * was then recomputed either are refused by {@link Profile#fromJson} with this library's
 * exception, or are accepted and then merge, round-trip, serve as a reference and take part in
 * drift runs (every test, both directions) without any other exception. Each try takes one of
 * several valid profiles (exact and sketched numeric columns, per-value and range bins, empty and
 * all-missing columns, categorical columns) and applies one to four mutations at random nodes:
 * replacing a value by an extreme or ill-typed one, nudging a number, removing a field, or
 * dropping, duplicating or swapping array elements.
 */
class ProfileJsonFuzzProperties {
  private static final Schema SCHEMA = Schema.of(Field.optional("x", FieldType.DOUBLE),
      Field.optional("k", FieldType.DOUBLE), Field.optional("c", FieldType.STRING));
  private static final List<Profile> BASES = bases();
  private static final List<String> BASE_JSON = BASES.stream().map(Profile::toJson).toList();

  static {
    // Reading once loads and initialises the reader's classes before any budget.
    BASE_JSON.forEach(Profile::fromJson);
  }
  private static final List<JsonNode> REPLACEMENTS = replacements();

  private static List<Profile> bases() {
    Profile small = Profile.of(ProfileDeterminismProperties.frame(1, 200));
    Profile large = Profile.of(ProfileDeterminismProperties.frame(2, 3_000));
    SplittableRandom r = new SplittableRandom(3);
    double[] x = new double[5_000];
    double[] k = new double[5_000];
    String[] c = new String[5_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
      k[i] = r.nextInt(4);
      c[i] = "v" + r.nextInt(5);
    }
    Profile normal = Profile.of(Frame.builder(SCHEMA).column("x", x).column("k", k).column("c", c).build());
    Profile binned = Profile.against(normal).of(ProfileDeterminismProperties.frame(4, 2_000));
    Profile binnedSmall = Profile.against(small).of(ProfileDeterminismProperties.frame(5, 50));
    Profile empty = Profile.of(ProfileDeterminismProperties.frame(6, 0));
    Profile missing = Profile.of(Frames.numeric("x", new double[] {Double.NaN, Double.NaN, Double.POSITIVE_INFINITY}));
    return List.of(small, large, normal, binned, binnedSmall, empty, missing);
  }

  private static List<JsonNode> replacements() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return List.of(f.numberNode(0), f.numberNode(-1), f.numberNode(1), f.numberNode(2), f.numberNode(1L << 53),
        f.numberNode(Long.MAX_VALUE), f.numberNode(Long.MIN_VALUE), f.numberNode(new BigInteger("1" + "0".repeat(30))),
        f.numberNode(1e308), f.numberNode(-1e308), f.numberNode(1.5), f.numberNode(-0.0), f.numberNode(4.9e-324),
        f.numberNode(65535), f.numberNode(-65407), f.numberNode(1024), f.numberNode(Integer.MAX_VALUE),
        f.textNode("x"), f.textNode(""), f.textNode("0x1p-1074"), f.textNode("0x3p0"), f.textNode("-0x1p1000"),
        f.textNode("numeric"), f.textNode("categorical"), f.nullNode(), f.booleanNode(true), f.arrayNode(),
        f.objectNode(), f.arrayNode().add(1).add(2));
  }

  /**
   * What reading one fuzzed profile (a few kilobytes of JSON) may allocate: its tree and the
   * profile, whose sketches hold their counts densely, so each of the bases' two numeric columns
   * may claim a sketch's whole range of buckets (about 2^17 a sign); measured at most 12 MiB.
   */
  private static final long ALLOCATION_BUDGET = 32L << 20;

  @Property(tries = 2_000, seed = "20261202")
  void mutatedProfilesAreRefusedByTheLibraryOrWorkEverywhere(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int mutations) {
    SplittableRandom r = new SplittableRandom(seed);
    int which = r.nextInt(BASES.size());
    Profile base = BASES.get(which);
    ObjectNode tree = (ObjectNode) CanonicalJson.parse(BASE_JSON.get(which));
    for (int i = 0; i < mutations; i++) {
      mutate(tree, r);
    }
    tree.remove("sha256");
    tree.put("sha256", Digest.of(CanonicalJson.toString(tree)).hex());
    String json = CanonicalJson.toString(tree);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    Profile p;
    try {
      p = Profile.fromJson(json);
    } catch (MlopsException e) {
      assertNotNull(e.getMessage());
      assertFalse(e.getMessage().isBlank());
      return;
    } finally {
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      assertTrue(allocated < ALLOCATION_BUDGET, "reading " + json.length() + " characters allocated " + allocated);
    }
    use(p, base);
  }

  /**
   * Many columns whose sketches each claim the whole range of buckets, in a text far shorter than
   * those ranges: refused naming the limit before any sketch is built.
   */
  @Test
  void aShortProfileCannotClaimALargeHeap() {
    ObjectNode tree = (ObjectNode) CanonicalJson.parse(BASES.get(0).toJson());
    ArrayNode columns = (ArrayNode) tree.get("columns");
    JsonNode numeric = null;
    for (JsonNode c : columns) {
      if (c.path("type").asText().equals("numeric") && c.path("sketch").path("positive").path("indexes").size() > 0) {
        numeric = c;
      }
    }
    assertNotNull(numeric, "a base with a numeric sketch");
    for (int i = 0; i < 200; i++) {
      ObjectNode copy = numeric.deepCopy();
      copy.put("name", "wide" + i);
      ObjectNode positive = (ObjectNode) copy.get("sketch").get("positive");
      positive.putArray("indexes").add(ValueSketch.lowestIndex()).add(ValueSketch.highestIndex());
      positive.putArray("counts").add(1).add(1);
      columns.add(copy);
    }
    tree.remove("sha256");
    tree.put("sha256", Digest.of(CanonicalJson.toString(tree)).hex());
    String json = CanonicalJson.toString(tree);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Profile.fromJson(json));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(e.getMessage().contains("buckets"), e.getMessage());
    assertTrue(e.getMessage().contains("Profile.fromJson(json, maxChars)"), e.getMessage());
    assertTrue(allocated < 16 * (long) json.length() + (8L << 20), json.length() + " characters allocated " + allocated);
  }

  @Test
  void theValidBasesAreAcceptedAndUsable() {
    for (Profile b : BASES) {
      assertEquals(b, Profile.fromJson(b.toJson()));
      use(b, BASES.get(2));
    }
  }

  /** Everything a caller does with a profile read from a file. */
  private static void use(Profile p, Profile other) {
    assertEquals(p.toJson(), Profile.fromJson(p.toJson()).toJson());
    try {
      p.merge(p);
      p.merge(other);
    } catch (InvalidInputException e) {
      assertNotNull(e.getMessage());
    }
    for (String name : p.columnNames()) {
      ColumnProfile c = p.column(name);
      c.quantile(0.5);
      c.mean();
      c.variance();
    }
    Profile.against(p).of(ProfileDeterminismProperties.frame(9, 300));
    List<StatTest> tests = new ArrayList<>(List.of(StatTest.ks(), StatTest.wasserstein(), StatTest.psi(),
        StatTest.chiSquare(), StatTest.jensenShannon(), StatTest.hellinger(), StatTest.z()));
    for (Profile[] pair : new Profile[][] {{p, other}, {other, p}, {p, p}}) {
      Drift.between(pair[0], pair[1]).run().toJson();
      for (String name : pair[0].columnNames()) {
        for (StatTest t : tests) {
          Drift.between(pair[0], pair[1]).test(name, t).run();
        }
      }
    }
  }

  private static void mutate(ObjectNode root, SplittableRandom r) {
    List<JsonNode[]> slots = new ArrayList<>();
    collect(root, slots);
    JsonNode[] slot = slots.get(r.nextInt(slots.size()));
    JsonNode parent = slot[0];
    JsonNode key = slot[1];
    int kind = r.nextInt(6);
    if (parent instanceof ObjectNode o) {
      String k = key.asText();
      switch (kind) {
        case 0 -> o.remove(k);
        case 1 -> o.set(k, nudge(o.get(k), r));
        default -> o.set(k, REPLACEMENTS.get(r.nextInt(REPLACEMENTS.size())));
      }
    } else if (parent instanceof ArrayNode a) {
      int i = key.asInt();
      switch (kind) {
        case 0 -> a.remove(i);
        case 1 -> a.set(i, nudge(a.get(i), r));
        case 2 -> a.insert(i, a.get(i).deepCopy());
        case 3 -> {
          int j = r.nextInt(a.size());
          JsonNode t = a.get(i);
          a.set(i, a.get(j));
          a.set(j, t);
        }
        default -> a.set(i, REPLACEMENTS.get(r.nextInt(REPLACEMENTS.size())));
      }
    }
  }

  private static JsonNode nudge(JsonNode v, SplittableRandom r) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
      return f.numberNode(v.asLong() + (r.nextBoolean() ? 1 : -1));
    }
    if (v != null && v.isNumber()) {
      double d = v.doubleValue();
      return f.numberNode(r.nextBoolean() ? Math.nextUp(d) : d * (1 + r.nextGaussian() * 0.1));
    }
    return f.textNode(v == null ? "" : v.asText() + "0");
  }

  /** Every (parent, key) pair below the root, for objects by field name and for arrays by index. */
  private static void collect(JsonNode node, List<JsonNode[]> out) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (node instanceof ObjectNode o) {
      o.fieldNames().forEachRemaining(k -> {
        if (!k.equals("sha256")) {
          out.add(new JsonNode[] {o, f.textNode(k)});
          collect(o.get(k), out);
        }
      });
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        out.add(new JsonNode[] {a, f.numberNode(i)});
        collect(a.get(i), out);
      }
    }
  }
}
