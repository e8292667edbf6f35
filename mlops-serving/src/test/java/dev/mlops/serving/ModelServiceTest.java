package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.io.ByteSource;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.ModelUri;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.Label;

class ModelServiceTest {
  private static final String CHAMPION = "models:/clf@champion";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private FolderModelSource source;
  private ModelPackage rising;
  private ModelPackage falling;

  @BeforeEach
  void registerTwoVersions() {
    source = new FolderModelSource(dir);
    rising = TestModels.pkg("clf", "a", TestModels.RISING);
    falling = TestModels.pkg("clf", "b", TestModels.FALLING);
    source.register("clf", rising);
    source.register("clf", falling);
    source.setAlias("clf", "champion", 1);
  }

  private ModelService service() {
    return ModelService.builder(source, CHAMPION).pollEvery(Duration.ZERO).clock(CLOCK).build();
  }

  @Test
  void predictsThroughTheSignatureAsThePackagesPredictorDoes() {
    try (ModelService service = service()) {
      for (Map<String, Object> row : TestModels.rows(50, 1)) {
        ServedPrediction p = service.predict(row);
        Label expected = rising.predictor(Label.class).predict(row).getOutput();
        assertEquals(expected.getLabel(), p.output());
        assertEquals("1", p.model().version());
      }
      ServedModel m = service.current();
      assertEquals("clf", m.name());
      assertEquals(rising.digest(), m.packageDigest());
      assertEquals(CLOCK.instant(), m.loadedAt());
      assertEquals(ModelUri.parse(CHAMPION), m.uri());
    }
  }

  @Test
  void aBadRowNamesTheMissingInputAndTheRow() {
    try (ModelService service = service()) {
      InvalidInputException one = assertThrows(InvalidInputException.class, () -> service.predict(Map.of("x1", 1.0)));
      assertTrue(one.getMessage().contains("[x2]"), one.getMessage());
      List<Map<String, ?>> rows = List.of(Map.of("x1", 1.0, "x2", 2.0), Map.of("x1", "high", "x2", 2.0));
      InvalidInputException second = assertThrows(InvalidInputException.class, () -> service.predict(rows));
      assertTrue(second.getMessage().startsWith("row 1: input 'x1' expects type double but got string"), second.getMessage());
    }
  }

  @Test
  void refreshSwapsInTheVersionTheAliasMovedTo() {
    try (ModelService service = service()) {
      assertFalse(service.refresh(), "nothing moved yet");
      source.setAlias("clf", "champion", 2);
      assertTrue(service.refresh());
      assertEquals("2", service.current().version());
      assertEquals(falling.digest(), service.current().packageDigest());
      assertEquals(1.0, service.meterRegistry().get(ServiceMeters.SWAPS).tag("role", "champion").functionCounter().count());
      assertEquals(1.0, service.meterRegistry().get(ServiceMeters.MODEL_INFO).tag("version", "2").tag("package_version", "b")
          .gauge().value());
      assertTrue(service.meterRegistry().find(ServiceMeters.MODEL_INFO).tag("version", "1").gauges().isEmpty(),
          "the old version is no longer said to be served");
      Map<String, Object> row = Map.of("x1", 2.0, "x2", 0.0);
      assertEquals("neg", service.predict(row).output());
      assertTrue(service.lastRefreshError().isEmpty());
    }
  }

  @Test
  void aTamperedPackageBehindAMovedAliasIsRefusedAndTheOldOneKeepsServing() throws Exception {
    Path file = source.file("clf", 2);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);
    try (ModelService service = service()) {
      source.setAlias("clf", "champion", 2);
      assertFalse(service.refresh());
      assertEquals("1", service.current().version());
      RefreshFailure failure = service.lastRefreshError().orElseThrow();
      assertInstanceOf(IntegrityException.class, failure.error());
      assertEquals("2", failure.version());
      assertEquals(CLOCK.instant(), failure.at());
      assertEquals("pos", service.predict(Map.of("x1", 2.0, "x2", 0.0)).output());
      assertEquals(failure.message(), ServiceStatus.health(service).get("refresh_error").asText());
      assertEquals(1.0, service.meterRegistry().get("mlops.model.refresh.failing").gauge().value());
      assertEquals(1.0, service.meterRegistry().get(ServiceMeters.REFRESH_FAILURES).tag("role", "champion")
          .functionCounter().count());

      source.setAlias("clf", "champion", 1);
      assertFalse(service.refresh());
      assertTrue(service.lastRefreshError().isEmpty(), "in sync with the alias again");
    }
  }

  @Test
  void aValidPackageThatIsNotTheRegisteredOneIsRefused() {
    // A well-formed package, but not the bytes the registry recorded for version 2.
    TestModels.pkg("clf", "other", TestModels.DIAGONAL).writeTo(source.file("clf", 2));
    try (ModelService service = service()) {
      source.setAlias("clf", "champion", 2);
      assertFalse(service.refresh());
      IntegrityException e = assertInstanceOf(IntegrityException.class, service.lastRefreshError().orElseThrow().error());
      assertTrue(e.getMessage().contains("was registered with " + falling.digest()), e.getMessage());
      assertEquals("1", service.current().version());
    }
  }

  @Test
  void aMissingAliasFailsTheStartAndAVanishedOneIsReported() {
    assertThrows(NotFoundException.class, () -> ModelService.from(source, "models:/clf@nobody"));
    try (ModelService service = service()) {
      source.setAlias("clf", "champion", 9);
      assertFalse(service.refresh());
      RefreshFailure f = service.lastRefreshError().orElseThrow();
      assertInstanceOf(NotFoundException.class, f.error());
      assertEquals("?", f.version());
      assertEquals("1", service.current().version());
    }
  }

  @Test
  void pollingNoticesTheMove() throws Exception {
    try (ModelService service = ModelService.builder(source, CHAMPION).pollEvery(Duration.ofMillis(20)).build()) {
      source.setAlias("clf", "champion", 2);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!service.current().version().equals("2") && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals("2", service.current().version());
    }
  }

  @Test
  void closingCancelsPollingOnAGivenSchedulerAndLeavesItRunning() throws Exception {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    scheduler.setRemoveOnCancelPolicy(true);
    try {
      ModelService service = ModelService.builder(source, CHAMPION).pollEvery(Duration.ofHours(1)).scheduler(scheduler).build();
      assertEquals(1, scheduler.getQueue().size(), "the polling task is scheduled");
      service.close();
      assertEquals(0, scheduler.getQueue().size(), "the polling task is cancelled");
      assertFalse(scheduler.isShutdown());
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aFixedVersionUriServesThatVersion() {
    try (ModelService service = ModelService.builder(source, "models:/clf/2").pollEvery(Duration.ZERO).build()) {
      assertEquals("2", service.current().version());
      assertEquals("neg", service.predict(Map.of("x1", 2.0, "x2", 0.0)).output());
    }
  }

  @Test
  void aPackageFileSourceServesTheFileUnderItsOwnNameAndVersion() {
    Path file = source.file("clf", 1);
    try (ModelService service = ModelService.builder(ModelSource.ofPackage(file), "models:/clf@file")
        .pollEvery(Duration.ZERO).build()) {
      assertEquals("a", service.current().version());
      assertEquals(rising.digest(), service.current().packageDigest());
      falling.writeTo(file);
      assertTrue(service.refresh());
      assertEquals("b", service.current().version());
    }
  }

  @Test
  void aSourceMayHandOverPackageBytes() {
    ModelSource bytes = uri -> ResolvedModel.ofBytes("clf", "7", ByteSource.wrap(falling.toBytes()), falling.digest());
    try (ModelService service = ModelService.builder(bytes, "models:/clf/7").pollEvery(Duration.ZERO).build()) {
      assertEquals("7", service.current().version());
      assertEquals(falling.digest(), service.current().packageDigest());
      assertEquals("neg", service.predict(Map.of("x1", 2.0, "x2", 0.0)).output());
    }
    ModelSource wrong = uri -> ResolvedModel.ofBytes("clf", "7", ByteSource.wrap(falling.toBytes()), rising.digest());
    assertThrows(IntegrityException.class, () -> ModelService.from(wrong, "models:/clf/7"));
  }

  @Test
  void aResolvedModelHasEitherAFileOrBytes() {
    InvalidInputException both = assertThrows(InvalidInputException.class, () -> new ResolvedModel("clf", "1",
        Optional.of(dir), Optional.of(ByteSource.empty()), Optional.empty()));
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
    InvalidInputException neither = assertThrows(InvalidInputException.class, () -> new ResolvedModel("clf", "1",
        Optional.empty(), Optional.empty(), Optional.empty()));
    assertTrue(neither.getMessage().contains("not neither"), neither.getMessage());
  }

  @Test
  void aClosedServiceRefusesWorkWithIllegalStateAndLeavesAHostRegistryOpen() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry host = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    ModelService service = ModelService.builder(source, CHAMPION).pollEvery(Duration.ZERO).meterRegistry(host).build();
    service.predict(Map.of("x1", 2.0, "x2", 0.0));
    assertEquals(1.0, host.get(ServiceMeters.PREDICTIONS).tag("label", "pos").tag("version", "1").counter().count());
    service.close();
    service.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> service.predict(Map.of("x1", 2.0, "x2", 0.0)));
    assertTrue(e.getMessage().contains("models:/clf@champion") && e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> service.predict(List.of(Map.of("x1", 2.0, "x2", 0.0))));
    assertThrows(IllegalStateException.class, service::refresh);
    assertTrue(service.isClosed());
    assertFalse(host.isClosed());
    assertTrue(host.find(ServiceMeters.PREDICTIONS).meters().isEmpty(), "the service's meters left the host's registry");
  }

  @Test
  void anUnknownInputIsNamedWithTheInputItWasProbablyMeantFor() {
    try (ModelService service = service()) {
      InvalidInputException typo = assertThrows(InvalidInputException.class, () -> service.predict(Map.of("x1", 1.0, "X_2", 2.0)));
      assertTrue(typo.getMessage().startsWith("unknown input 'X_2'; did you mean 'x2'? missing required inputs [x2]"),
          typo.getMessage());
      InvalidInputException far = assertThrows(InvalidInputException.class,
          () -> service.predict(Map.of("x1", 1.0, "temperature", 2.0)));
      assertTrue(far.getMessage().startsWith("unknown input 'temperature'; the inputs are [x1, x2]."), far.getMessage());
      assertEquals("pos", service.predict(Map.of("x1", 2.0, "x2", 0.0, "extra", "ignored")).output(),
          "an extra input is ignored when nothing is missing");
    }
  }

  @Test
  void nonFiniteInputsAreRefusedNamingTheColumn() {
    try (ModelService service = service()) {
      for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> service.predict(Map.of("x1", bad, "x2", 0.0)));
        assertTrue(e.getMessage().contains("input 'x1' is " + bad) && e.getMessage().contains("finite"), e.getMessage());
      }
      InvalidInputException nan = assertThrows(InvalidInputException.class, () -> service.predict(Map.of("x1", 1.0, "x2", Double.NaN)));
      assertTrue(nan.getMessage().contains("missing required inputs [x2]"), "a NaN is a missing value: " + nan.getMessage());
      InvalidInputException f = assertThrows(InvalidInputException.class,
          () -> service.predict(Map.of("x1", Float.POSITIVE_INFINITY, "x2", 0.0)));
      assertTrue(f.getMessage().contains("input 'x1'"), f.getMessage());
    }
  }

  @Test
  void aServiceRunsOneChallengerOnly() {
    ModelService.Builder b = ModelService.builder(source, CHAMPION).shadow("models:/clf/2");
    assertThrows(InvalidInputException.class, () -> b.canary("models:/clf/2", 0.5));
    assertThrows(InvalidInputException.class, () -> ModelService.builder(source, CHAMPION).canary("models:/clf/2", 1.5));
  }
}
