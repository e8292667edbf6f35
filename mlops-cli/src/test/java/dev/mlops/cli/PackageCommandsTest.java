package dev.mlops.cli;

import static dev.mlops.cli.Fixtures.mlops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.cli.Fixtures.Result;
import dev.mlops.core.CanonicalJson;
import dev.mlops.packaging.ModelPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops verify} and {@code mlops show} on intact, tampered and missing package files. */
class PackageCommandsTest {
  @TempDir static Path dir;
  private static ModelPackage pkg;
  private static Path file;

  @BeforeAll
  static void writePackage() {
    pkg = Fixtures.pkg("fixture", "7", 1, "0123456789abcdef0123456789abcdef");
    file = dir.resolve("model.mlpkg");
    pkg.writeTo(file);
  }

  @Test
  void verifyExitsZeroNamingTheVerifiedPackage() {
    Result r = mlops("verify", file.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals("verified " + file + ": fixture 7 " + pkg.digest() + "\n", r.out().replace(System.lineSeparator(), "\n"));
    assertEquals("", r.err());
  }

  @Test
  void verifyExitsOneWithTheReasonForATamperedPackage() throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 3] ^= 1;   // inside the model entry, the bulk of the file
    Path tampered = dir.resolve("tampered.mlpkg");
    Files.write(tampered, bytes);
    Result r = mlops("verify", tampered.toString());
    assertEquals(1, r.status(), r.out());
    assertTrue(r.err().startsWith("mlops verify: "), r.err());
    assertTrue(r.err().contains("model/model.tribuo"), "names the changed entry: " + r.err());
    assertEquals("", r.out());
  }

  @Test
  void verifyExitsOneForAMissingFile() {
    Result r = mlops("verify", dir.resolve("nope.mlpkg").toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains("nope.mlpkg"), r.err());
  }

  @Test
  void showPrintsTheManifestSignatureAndLineage() {
    Result r = mlops("show", file.toString());
    assertEquals(0, r.status(), r.err());
    JsonNode shown = CanonicalJson.parse(r.out());
    assertEquals("fixture", shown.at("/manifest/name").asText());
    assertEquals(pkg.digest().toString(), shown.at("/manifest/packageDigest").asText());
    assertEquals(CanonicalJson.parse(pkg.signature().toJson()), shown.get("signature"));
    assertEquals("0123456789abcdef0123456789abcdef", shown.at("/lineage/runId").asText());
    assertEquals(1.0, shown.at("/lineage/metrics/accuracy").asDouble());
  }

  @Test
  void showOnlyPrintsOnePart() {
    Result r = mlops("show", "--only", "signature", file.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals(CanonicalJson.parse(pkg.signature().toJson()), CanonicalJson.parse(r.out()));
  }
}
