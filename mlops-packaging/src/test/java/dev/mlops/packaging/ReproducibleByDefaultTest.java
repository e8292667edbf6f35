package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mlops.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two builds of the same model with the builder's defaults give the same bytes, whenever, wherever
 * and in whatever time zone they run: the creation time comes from the model's training time, or
 * from {@code SOURCE_DATE_EPOCH}, never from the wall clock unless a clock is given.
 */
class ReproducibleByDefaultTest {
  private static final String EPOCH = "SOURCE_DATE_EPOCH";

  @TempDir Path dir;

  @Test
  void buildsInOtherJvmsFoldersAndTimeZonesGiveTheSameBytes() throws Exception {
    Path model = Files.write(dir.resolve("model.tribuo"), PackageFixture.MODEL.serialize().toByteArray());

    byte[] first = buildInChild(model, "a", "UTC", null);
    byte[] second = buildInChild(model, "b/c", "Pacific/Chatham", null);
    assertArrayEquals(first, second);
    try (ModelPackage read = ModelPackage.read(dir.resolve("a/repro.mlpkg"))) {
      assertEquals(PackageFixture.MODEL.getProvenance().getTrainingTime().toInstant(), read.manifest().createdAt());
    }

    byte[] pinned = buildInChild(model, "d", "Asia/Kolkata", "1767225600");
    assertArrayEquals(pinned, buildInChild(model, "e", "America/St_Johns", "1767225600"));
    try (ModelPackage read = ModelPackage.read(dir.resolve("d/repro.mlpkg"))) {
      assertEquals(Instant.parse("2026-01-01T00:00:00Z"), read.manifest().createdAt());
      assertEquals(PackageFixture.MODEL.getProvenance().getTrainingTime().toInstant(), read.provenance().getTrainingTime().toInstant());
    }
  }

  private byte[] buildInChild(Path model, String folder, String zone, String sourceDateEpoch) throws Exception {
    Path work = Files.createDirectories(dir.resolve(folder));
    Map<String, String> env = new HashMap<>();
    env.put("TZ", zone);
    env.put(EPOCH, sourceDateEpoch);
    ChildJvm.Result r = ChildJvm.run(work, List.of("-Duser.timezone=" + zone), env, BuildPackage.class, model.toString(), "repro.mlpkg");
    assertEquals(0, r.exitCode(), r.err());
    return Files.readAllBytes(work.resolve("repro.mlpkg"));
  }

  @Test
  void theDefaultCreationTimeIsTheModelsTrainingTime() {
    ModelPackage p = builder().environmentVariables(Map.of()).build();
    assertEquals(PackageFixture.MODEL.getProvenance().getTrainingTime().toInstant(), p.manifest().createdAt());
  }

  @Test
  void sourceDateEpochSetsTheCreationTime() {
    ModelPackage p = builder().environmentVariables(Map.of(EPOCH, "1767225600")).build();
    assertEquals(Instant.ofEpochSecond(1_767_225_600L), p.manifest().createdAt());
    assertArrayEquals(p.toBytes(), builder().environmentVariables(Map.of(EPOCH, "1767225600")).build().toBytes());
  }

  @Test
  void aGivenClockStillWins() {
    Instant at = Instant.parse("2030-05-06T07:08:09Z");
    ModelPackage p = builder().environmentVariables(Map.of(EPOCH, "1767225600")).clock(Clock.fixed(at, ZoneOffset.UTC)).build();
    assertEquals(at, p.manifest().createdAt());
  }

  @Test
  void aMalformedSourceDateEpochIsRefusedNamingIt() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> builder().environmentVariables(Map.of(EPOCH, "yesterday")).build());
    assertEquals("SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01T00:00:00Z, such as 1767225600; got 'yesterday'", e.getMessage());
  }

  private static ModelPackage.Builder builder() {
    return ModelPackage.builder("repro").version("1").model(PackageFixture.MODEL).environment(PackageFixture.ENVIRONMENT);
  }

  @Test
  void theSameInputsInAnotherFolderGiveTheSameBytes() throws IOException {
    Path a = Files.createDirectories(dir.resolve("x")).resolve("p.mlpkg");
    Path b = Files.createDirectories(dir.resolve("y/z")).resolve("p.mlpkg");
    builder().environmentVariables(Map.of()).build().writeTo(a);
    builder().environmentVariables(Map.of()).build().writeTo(b);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }
}
