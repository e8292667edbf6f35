package dev.mlops.cli;

import static dev.mlops.cli.Fixtures.mlops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.cli.Fixtures.Result;
import dev.mlops.core.CanonicalJson;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops runs} and {@code mlops models} against a SQLite store with two runs and a
 * registered model whose artifacts live in a folder of their own, given with {@code --artifacts}.
 */
class TrackingCommandsTest {
  @TempDir static Path dir;
  private static String uri;
  private static Path artifacts;
  private static final List<String> RUN_IDS = new ArrayList<>();

  @BeforeAll
  static void track() {
    uri = "sqlite:" + dir.resolve("mlops.db");
    artifacts = dir.resolve("shared-artifacts");
    try (Tracker tracker = Tracker.builder(uri).artifacts(artifacts).build()) {
      for (double lr : new double[] {0.05, 0.5}) {
        try (Run run = tracker.experiment("cli").run("lr" + lr).start()) {
          run.param("lr", lr).metric("accuracy", lr > 0.1 ? 0.9 : 0.6, 0);
          run.model("model", Fixtures.pkg("clf", "lr" + lr, 1, run.id()));
          RUN_IDS.add(run.id());
        }
      }
      ModelRegistry registry = tracker.registry();
      registry.register("clf", RUN_IDS.get(0), "model");
      registry.register("clf", RUN_IDS.get(1), "model");
      registry.setAlias("clf", "champion", 2);
    }
  }

  private static String[] tracked(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--tracking", uri, "--artifacts", artifacts.toString()));
    return all.toArray(String[]::new);
  }

  @Test
  void runsFilteredAsJson() {
    Result r = mlops(tracked("runs", "cli", "--filter", "metrics.accuracy > 0.8 and params.lr = '0.5'", "--json"));
    assertEquals(0, r.status(), r.err());
    JsonNode runs = CanonicalJson.parse(r.out());
    assertEquals(1, runs.size(), r.out());
    assertEquals(RUN_IDS.get(1), runs.get(0).get("run_id").asText());
    assertEquals("lr0.5", runs.get(0).get("name").asText());
    assertEquals("FINISHED", runs.get(0).get("status").asText());
    assertEquals(0.9, runs.get(0).at("/metrics/accuracy").asDouble());
    assertEquals("0.5", runs.get(0).at("/params/lr").asText());
  }

  @Test
  void runsOrderedAsATable() {
    Result r = mlops(tracked("runs", "cli", "--order-by", "metrics.accuracy DESC"));
    assertEquals(0, r.status(), r.err());
    String[] lines = r.out().split("\\R");
    assertEquals(3, lines.length, r.out());
    assertTrue(lines[0].matches("RUN ID +NAME +STATUS +STARTED +METRICS"), lines[0]);
    assertTrue(lines[1].startsWith(RUN_IDS.get(1) + "  lr0.5 ") && lines[1].endsWith("accuracy=0.9"), lines[1]);
    assertTrue(lines[2].startsWith(RUN_IDS.get(0) + "  lr0.05") && lines[2].endsWith("accuracy=0.6"), lines[2]);
  }

  @Test
  void aFilterThatDoesNotParseIsAWrongCommandLine() {
    Result r = mlops(tracked("runs", "cli", "--filter", "metrics.accuracy >> 1"));
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains("metrics.accuracy >> 1") && r.err().contains("Usage: mlops runs"), r.err());
  }

  @Test
  void anUnknownExperimentIsRefusedByName() {
    Result r = mlops(tracked("runs", "nope"));
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith("mlops runs: ") && r.err().contains("'nope'"), r.err());
  }

  @Test
  void modelsListsTheRegisteredModelsWithTheirAliases() {
    Result r = mlops(tracked("models"));
    assertEquals(0, r.status(), r.err());
    String[] lines = r.out().split("\\R");
    assertTrue(lines[0].matches("NAME +LATEST +ALIASES"), lines[0]);
    assertTrue(lines[1].matches("clf +2 +champion=2"), lines[1]);
  }

  @Test
  void modelsOfANameListsItsVersionsWithAliasesAndLineage() {
    Result r = mlops(tracked("models", "clf", "--json"));
    assertEquals(0, r.status(), r.err());
    JsonNode versions = CanonicalJson.parse(r.out());
    assertEquals(2, versions.size());
    assertEquals(1, versions.get(0).get("version").asInt());
    assertEquals(RUN_IDS.get(0), versions.get(0).get("run_id").asText());
    assertEquals(0, versions.get(0).get("aliases").size());
    assertEquals("champion", versions.get(1).at("/aliases/0").asText());
    assertEquals(RUN_IDS.get(1), versions.get(1).get("run_id").asText());
    assertTrue(versions.get(1).get("package_digest").asText().startsWith("sha256:"));
    assertEquals("models:/clf/2", versions.get(1).get("uri").asText());
  }

  @Test
  void anUnknownModelIsRefusedByName() {
    Result r = mlops(tracked("models", "nope"));
    assertEquals(1, r.status());
    assertTrue(r.err().contains("'nope'"), r.err());
  }

  @Test
  void verifyAndShowReadARegisteredVersionThroughTheArtifactsFolder() {
    Result verified = mlops(tracked("verify", "models:/clf@champion"));
    assertEquals(0, verified.status(), verified.err());
    assertTrue(verified.out().startsWith("verified models:/clf@champion: clf lr0.5 sha256:"), verified.out());
    Result shown = mlops(tracked("show", "--only", "lineage", "models:/clf/1"));
    assertEquals(0, shown.status(), shown.err());
    assertEquals(RUN_IDS.get(0), CanonicalJson.parse(shown.out()).get("runId").asText());
  }
}
