package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.NotFoundException;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service that follows an alias in a real model registry on a SQLite file. */
class RegistryServiceTest {
  private static final Map<String, Object> POSITIVE_X1 = Map.of("x1", 2.0, "x2", 0.0);

  @TempDir Path dir;
  private Tracker tracker;
  private ModelRegistry registry;

  @BeforeEach
  void registerTwoVersions() {
    tracker = Tracker.open("sqlite:" + dir.resolve("mlops.db"));
    registry = tracker.registry();
    try (Run run = tracker.experiment("clf").run("rising").start()) {
      run.model("model", TestModels.pkg("clf", "a", TestModels.RISING));
      registry.register("clf", run, "model");
    }
    try (Run run = tracker.experiment("clf").run("falling").start()) {
      run.model("model", TestModels.pkg("clf", "b", TestModels.FALLING));
      registry.register("clf", run, "model");
    }
    registry.setAlias("clf", "champion", 1);
  }

  @AfterEach
  void closeTracker() {
    tracker.close();
  }

  @Test
  void followsTheAliasWhenItMovesAndRefusesATamperedVersion() throws Exception {
    try (ModelService service = ModelService.builder(tracker, "models:/clf@champion").pollEvery(Duration.ZERO).build()) {
      assertEquals("1", service.current().version());
      assertEquals(registry.version("clf", 1).packageDigest(), service.current().packageDigest());
      assertEquals("pos", service.predict(POSITIVE_X1).output());

      registry.setAlias("clf", "champion", 2);
      assertTrue(service.refresh());
      assertEquals("2", service.current().version());
      assertEquals("neg", service.predict(POSITIVE_X1).output(), "the falling model answers now");

      Path stored = registry.version("clf", 1).packagePath();
      byte[] bytes = Files.readAllBytes(stored);
      bytes[bytes.length / 2] ^= 0x01;
      Files.write(stored, bytes);
      registry.setAlias("clf", "champion", 1);
      assertFalse(service.refresh());
      assertInstanceOf(IntegrityException.class, service.lastRefreshError().orElseThrow().error());
      assertEquals("2", service.current().version(), "the tampered version is never swapped in");
      assertEquals("neg", service.predict(POSITIVE_X1).output());
    }
  }

  @Test
  void servesAFixedVersionTheLatestAndRefusesAnUnknownAlias() {
    ModelVersion two = registry.version("clf", 2);
    try (ModelService service = ModelService.from(tracker, "models:/clf/2")) {
      assertEquals("2", service.current().version());
      assertEquals(two.packageDigest(), service.current().packageDigest());
      assertEquals(two.signature(), service.signature());
    }
    try (ModelService latest = ModelService.builder(tracker, "models:/clf@latest").pollEvery(Duration.ZERO).build()) {
      assertEquals("2", latest.current().version());
      try (Run run = tracker.experiment("clf").run("diagonal").start()) {
        run.model("model", TestModels.pkg("clf", "c", TestModels.DIAGONAL));
        registry.register("clf", run, "model");
      }
      assertTrue(latest.refresh());
      assertEquals("3", latest.current().version(), "@latest follows each new registration");
    }
    NotFoundException e = assertThrows(NotFoundException.class, () -> ModelService.from(tracker, "models:/clf@nobody"));
    assertTrue(e.getMessage().contains("'nobody'"), e.getMessage());
  }
}
