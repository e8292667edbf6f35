package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.CanonicalJson;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportanceEntryTest {
  private static final FeatureImportance IMPORTANCE = new FeatureImportance("permutation", "accuracy", 0.91, 5, List.of(
      new FeatureImportance.Feature("x1", 0.30, 0.02), new FeatureImportance.Feature("x2", 0.05, 0.01)));

  private static ModelPackage.Builder builder() {
    return ModelPackage.builder("imp").version("1").model(PackageFixture.MODEL)
        .environment(PackageFixture.ENVIRONMENT).clock(PackageFixture.CLOCK);
  }

  @Test
  void importanceIsAListedDigestedEntryThatReadsBackEqual(@TempDir Path dir) {
    ModelPackage pkg = builder().importance(IMPORTANCE).build();
    PackageFile listed = pkg.manifest().files().stream()
        .filter(f -> f.path().equals("explanations/importance.json")).findFirst().orElseThrow();
    assertEquals(IMPORTANCE.toJsonBytes().length, listed.size());
    assertEquals(IMPORTANCE, pkg.importance().orElseThrow());
    Path file = dir.resolve("imp.mlpkg");
    pkg.writeTo(file);
    try (ModelPackage read = ModelPackage.read(file)) {
      assertEquals(IMPORTANCE, read.importance().orElseThrow());
      assertEquals(pkg.digest(), read.digest());
    }
    assertFalse(builder().build().importance().isPresent());
    assertTrue(!pkg.digest().equals(builder().build().digest()), "the importance is part of the content digest");
  }

  @Test
  void aChangedImportanceIsAnIntegrityErrorNamingIt(@TempDir Path dir) throws Exception {
    ModelPackage pkg = builder().importance(IMPORTANCE).build();
    Map<String, byte[]> entries = PackageFixture.entries(pkg);
    byte[] changed = entries.get("explanations/importance.json").clone();
    String text = new String(changed, StandardCharsets.UTF_8).replace("0.3", "0.9");
    Path file = dir.resolve("tampered.mlpkg");
    Files.write(file, PackageFixture.zip(pkg.manifest().toBytes(),
        Map.of("explanations/importance.json", text.getBytes(StandardCharsets.UTF_8),
            "model/model.tribuo", entries.get("model/model.tribuo"),
            "model/provenance.json", entries.get("model/provenance.json"),
            "signature.json", entries.get("signature.json"),
            "environment.json", entries.get("environment.json"))));
    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.read(file).close());
    assertTrue(e.getMessage().contains("explanations/importance.json"), e.getMessage());
  }

  @Test
  void anImportanceOfColumnsTheModelDoesNotReadIsRefused() {
    FeatureImportance other = new FeatureImportance("permutation", "accuracy", 1, 1,
        List.of(new FeatureImportance.Feature("age", 0.1, 0)));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> builder().importance(other).build());
    assertTrue(e.getMessage().contains("[age]") && e.getMessage().contains("x1"), e.getMessage());
  }

  @Test
  void aMalformedImportanceEntryIsRefusedNamingTheEntryAndTheField(@TempDir Path dir) throws Exception {
    ModelPackage pkg = builder().importance(IMPORTANCE).build();
    byte[] rewritten = PackageFixture.rewrite(pkg,
        Map.of("explanations/importance.json", CanonicalJson.toBytes(Map.of("method", "permutation"))));
    Path file = dir.resolve("bad.mlpkg");
    Files.write(file, rewritten);
    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.read(file).close());
    assertTrue(e.getMessage().contains("explanations/importance.json") && e.getMessage().contains("'features'"),
        e.getMessage());
  }
}
