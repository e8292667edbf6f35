package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.ConflictException;
import dev.mlops.core.Digest;
import dev.mlops.core.InvalidInputException;
import dev.mlops.packaging.ModelPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every store must do with input nobody should trust: hostile search filters, text the
 * databases cannot hold, file permissions and concurrent package logging.
 * Mixed into {@link TrackerContract}, so it runs against each real database.
 */
interface StoreHardeningContract {
  /** The open tracker on the database under test. */
  Tracker tracker();

  /** A temporary folder of the test. */
  Path temp();

  /** The URI of the database under test, shared by the tests of the class. */
  String uri();

  /** The URI of a new, empty database. */
  String freshUri();

  /** A builder with the test's clock, environment and artifact folder, and no environment variables. */
  Tracker.Builder builder(String uri);

  private static String unique(String name) {
    return TrackerContract.unique(name);
  }

  private static String clauses(int n, int keys) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      parts.add("metrics.m" + (i % keys) + " > " + (-1 - i));
    }
    return String.join(" and ", parts);
  }

  private Experiment fixture(String name, int keys) {
    Experiment e = tracker().experiment(name);
    for (int r = 0; r < 3; r++) {
      try (Run run = e.run("run" + r).start()) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int k = 0; k < keys; k++) {
          metrics.put("m" + k, (double) r);
        }
        run.metrics(metrics, 0);
        run.param("p", "v" + r).tag("t", "x" + r);
      }
    }
    return e;
  }

  private static List<String> names(List<RunRecord> runs) {
    return runs.stream().map(RunRecord::name).toList();
  }

  // ---------------------------------------------------------------- hostile filters

  @Test
  default void filtersOfHundredsOrThousandsOfClausesAreRefusedNamingTheLimit() {
    String name = unique("clauses");
    fixture(name, 2);
    for (int n : new int[] {101, 200, 2_000}) {
      FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
          () -> tracker().search(name).filter(clauses(n, 2)).list());
      // 2,000 clauses pass the length limit before the clause limit
      assertTrue(e.getMessage().contains("the limit is " + RunSearch.MAX_CLAUSES)
          || e.getMessage().contains("the limit is " + RunSearch.MAX_FILTER_LENGTH), e.getMessage());
      assertTrue(e.getMessage().length() < 1_000, "the message stays short: " + e.getMessage().length());
    }
    String huge = "params.p = '" + "x".repeat(RunSearch.MAX_FILTER_LENGTH) + "'";
    FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> tracker().search(name).filter(huge));
    assertTrue(e.getMessage().contains("the limit is " + RunSearch.MAX_FILTER_LENGTH), e.getMessage());
  }

  @Test
  default void aFilterAtTheClauseLimitThatRepeatsKeysIsAnsweredAsOneClausePerKey() {
    String name = unique("repeated");
    fixture(name, 2);
    // 100 clauses over two keys: every run has m0 = m1 = its index, and every bound is below 0
    assertEquals(List.of("run0", "run1", "run2"),
        names(tracker().search(name).filter(clauses(RunSearch.MAX_CLAUSES, 2)).orderBy("attributes.run_name").list()));
    String tight = clauses(RunSearch.MAX_CLAUSES - 2, 2) + " and metrics.m0 >= 1 and metrics.m1 < 2";
    assertEquals(List.of("run1"), names(tracker().search(name).filter(tight).list()));
  }

  @Test
  default void theDistinctKeyLimitHoldsAcrossFilterAndOrderTerms() {
    String name = unique("keys");
    fixture(name, RunSearch.MAX_KEYS + 1);
    assertEquals(3, tracker().search(name).filter(clauses(RunSearch.MAX_KEYS, RunSearch.MAX_KEYS)).list().size());
    FilterSyntaxException tooMany = assertThrows(FilterSyntaxException.class,
        () -> tracker().search(name).filter(clauses(RunSearch.MAX_KEYS + 1, RunSearch.MAX_KEYS + 1)));
    assertTrue(tooMany.getMessage().contains("the limit is " + RunSearch.MAX_KEYS), tooMany.getMessage());
    FilterSyntaxException mixed = assertThrows(FilterSyntaxException.class, () -> tracker().search(name)
        .filter(clauses(RunSearch.MAX_KEYS, RunSearch.MAX_KEYS)).orderBy("params.p").list());
    assertTrue(mixed.getMessage().contains("the limit is " + RunSearch.MAX_KEYS), mixed.getMessage());
  }

  @Test
  default void seventyOrderTermsAreRefusedAndSixteenAreAnswered() {
    String name = unique("order");
    fixture(name, RunSearch.MAX_ORDER_TERMS);
    String[] seventy = new String[70];
    for (int i = 0; i < seventy.length; i++) {
      seventy[i] = "metrics.m" + i + " DESC";
    }
    FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> tracker().search(name).orderBy(seventy));
    assertTrue(e.getMessage().contains("at most " + RunSearch.MAX_ORDER_TERMS), e.getMessage());
    String[] sixteen = new String[RunSearch.MAX_ORDER_TERMS];
    for (int i = 0; i < sixteen.length; i++) {
      sixteen[i] = "metrics.m" + i + " DESC";
    }
    assertEquals(List.of("run2", "run1", "run0"), names(tracker().search(name).orderBy(sixteen).list()));
    RunSearch search = tracker().search(name).orderBy(sixteen);
    assertThrows(FilterSyntaxException.class, () -> search.orderBy("params.p"));
  }

  @Test
  default void nulAndLoneSurrogatesInKeysAndValuesAreRefusedWhereTheyStand() {
    String name = unique("nul");
    fixture(name, 1);
    String backQuoted = "params.`a\0b` = 'x'";
    FilterSyntaxException key = assertThrows(FilterSyntaxException.class,
        () -> tracker().search(name).filter(backQuoted).list());
    assertEquals(9, key.position(), key.getMessage());
    String value = "tags.t = 'x\0'";
    FilterSyntaxException nul = assertThrows(FilterSyntaxException.class, () -> tracker().search(name).filter(value));
    assertEquals(11, nul.position(), nul.getMessage());
    String surrogate = "params.p = 'a\uD800b'";
    FilterSyntaxException lone = assertThrows(FilterSyntaxException.class,
        () -> tracker().search(name).filter(surrogate));
    assertEquals(13, lone.position(), lone.getMessage());
    assertTrue(lone.getMessage().contains("U+D800"), lone.getMessage());
    String tab = "params.`a\tb` = 'x'";
    assertThrows(FilterSyntaxException.class, () -> tracker().search(name).filter(tab));
    String longKey = "params.`" + "k".repeat(251) + "` = 'x'";
    assertThrows(FilterSyntaxException.class, () -> tracker().search(name).filter(longKey));
    // a legal pair of surrogates is ordinary text
    assertTrue(tracker().search(name).filter("params.p = 'a\uD83D\uDE00b'").list().isEmpty());
  }

  // ---------------------------------------------------------------- values the stores cannot hold

  @Test
  default void nulAndLoneSurrogatesAreRefusedNamingThePositionAndNothingIsWritten() {
    try (Run run = tracker().experiment(unique("values")).run("r").start()) {
      for (String bad : List.of("a\0b", "a\uD800b", "ab\uDC00")) {
        int at = bad.indexOf('a') + (bad.charAt(1) == 'b' ? 2 : 1);
        InvalidInputException param = assertThrows(InvalidInputException.class, () -> run.param("p", bad));
        assertTrue(param.getMessage().contains("position " + at), param.getMessage());
        InvalidInputException tag = assertThrows(InvalidInputException.class, () -> run.tag("t", bad));
        assertTrue(tag.getMessage().contains("position " + at), tag.getMessage());
        InvalidInputException key = assertThrows(InvalidInputException.class, () -> run.metric(bad, 1.0));
        assertTrue(key.getMessage().contains("position " + at), key.getMessage());
        InvalidInputException paramKey = assertThrows(InvalidInputException.class, () -> run.param(bad, "v"));
        assertTrue(paramKey.getMessage().contains("position " + at), paramKey.getMessage());
        assertThrows(InvalidInputException.class, () -> tracker().experiment(bad));
        assertThrows(InvalidInputException.class, () -> tracker().registry().search(null, Map.of("k", bad)));
      }
      Map<String, Object> batch = new LinkedHashMap<>();
      batch.put("first", "fine");
      batch.put("second", "bro\0ken");
      batch.put("third", "fine");
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> run.params(batch));
      assertTrue(e.getMessage().contains("param 'second' value") && e.getMessage().contains("position 3"),
          e.getMessage());
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put("ok", "v");
      tags.put("bad", "\uD800");
      assertThrows(InvalidInputException.class, () -> run.tags(tags));
      RunRecord record = run.record();
      assertTrue(record.params().isEmpty(), record.params().toString());
      assertFalse(record.tags().containsKey("ok"), record.tags().toString());
      assertTrue(record.metrics().isEmpty());
      // text outside the Basic Multilingual Plane round-trips
      run.param("emoji", "\uD83D\uDE00").tag("emoji", "\uD83D\uDE00");
      assertEquals("\uD83D\uDE00", run.record().params().get("emoji"));
      assertEquals("\uD83D\uDE00", run.record().tags().get("emoji"));
    }
  }

  // ---------------------------------------------------------------- files and permissions

  @Test
  default void artifactsAndPackagesGetThePermissionsOfAnyNewFile() throws Exception {
    Path root = tracker().artifactRoot();
    Files.createDirectories(root);
    Path probe = Files.createFile(root.resolve("probe-" + UUID.randomUUID()));
    Set<PosixFilePermission> usual = Files.getPosixFilePermissions(probe);
    Files.delete(probe);
    assertTrue(usual.contains(PosixFilePermission.OWNER_READ));
    Path source = temp().resolve("source.txt");
    Files.writeString(source, "copied");
    Path pkgFile = TestPackages.file(temp(), "perm", "1", null);
    try (Run run = tracker().experiment(unique("perm")).run("r").start()) {
      run.text("notes.txt", "hello").artifact(source);
      run.model("model", TestPackages.pkg("perm", "1", run.id()));
      Path runDir = root.resolve(run.experimentId()).resolve(run.id());
      for (Path file : List.of(runDir.resolve("notes.txt"), runDir.resolve("source.txt"),
          runDir.resolve("model").resolve(ModelRegistry.PACKAGE_FILE))) {
        assertEquals(usual, Files.getPosixFilePermissions(file), file.toString());
      }
    }
    ModelVersion v = tracker().registry().register(unique("perm"), pkgFile);
    assertEquals(usual, Files.getPosixFilePermissions(v.packagePath()), v.packagePath().toString());
  }

  // ---------------------------------------------------------------- concurrent packages

  @Test
  default void twoThreadsLoggingPackagesUnderOneNameNeverLeaveADigestThatDiffersFromTheFile() throws Exception {
    ModelPackage a = TestPackages.pkg("race", "a", null);
    ModelPackage b = TestPackages.pkg("race", "b", null);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 8; round++) {
        Run run = tracker().experiment(unique("race")).run("r" + round).start();
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Future<Boolean>> results = new ArrayList<>();
        for (ModelPackage pkg : List.of(a, b)) {
          results.add(pool.submit(() -> {
            barrier.await(30, TimeUnit.SECONDS);
            try {
              run.model("model", pkg);
              return true;
            } catch (ConflictException e) {
              return false;
            }
          }));
        }
        int logged = 0;
        for (Future<Boolean> r : results) {
          logged += r.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertEquals(1, logged, "one package is logged, the other is a conflict");
        run.close();
        RunRecord record = tracker().getRun(run.id());
        ArtifactInfo info = record.artifacts().stream()
            .filter(x -> x.path().equals("model/" + ModelRegistry.PACKAGE_FILE)).findFirst().orElseThrow();
        Path file = tracker().artifactRoot().resolve(run.experimentId()).resolve(run.id()).resolve(info.path());
        assertEquals(info.sha256(), Digest.ofFile(file), "round " + round);
        ModelVersion v = tracker().registry().register(unique("race"), run.id(), "model");
        assertTrue(v.packageDigest().equals(a.digest()) || v.packageDigest().equals(b.digest()));
        try (var left = Files.list(file.getParent())) {
          assertEquals(List.of(file), left.toList(), "no temporary file is left behind");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- the statement timeout

  @Test
  default void theLargestSearchTheGrammarAllowsIsAnsweredWithinAShortStatementTimeout() {
    assertThrows(InvalidInputException.class, () -> Tracker.builder(uri()).statementTimeout(Duration.ZERO));
    assertThrows(InvalidInputException.class, () -> Tracker.builder(uri()).statementTimeout(Duration.ofDays(2)));
    String name = unique("largest");
    fixture(name, RunSearch.MAX_KEYS);
    String[] order = new String[RunSearch.MAX_ORDER_TERMS];
    for (int i = 0; i < order.length; i++) {
      order[i] = "metrics.m" + (RunSearch.MAX_KEYS - 2 - i) + " DESC";
    }
    try (Tracker t = builder(uri()).statementTimeout(Duration.ofSeconds(5)).build()) {
      String filter = clauses(RunSearch.MAX_CLAUSES - 1, RunSearch.MAX_KEYS - 1) + " and params.p != 'v0'";
      assertTrue(filter.length() < RunSearch.MAX_FILTER_LENGTH);
      assertEquals(List.of("run2", "run1"), names(t.search(name).filter(filter).orderBy(order).list()));
    }
  }
}
