package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.CanonicalJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageToolTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PackageTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private Path written() {
    ModelPackage pkg = PackageFixture.build(dir);
    Path file = dir.resolve("model.mlpkg");
    pkg.writeTo(file);
    return file;
  }

  @Test
  void showPrintsTheManifest() {
    Path file = written();
    assertEquals(0, run("show", file.toString()));
    var manifest = CanonicalJson.parse(out.toString(StandardCharsets.UTF_8));
    assertEquals("fixture", manifest.get("name").asText());
    assertEquals(PackageFixture.build(dir).digest().toString(), manifest.get("packageDigest").asText());
  }

  @Test
  void verifyExitsZeroForAnIntactPackage() {
    Path file = written();
    assertEquals(0, run("verify", file.toString()));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("verified " + file + ": fixture 7 sha256:"));
  }

  @Test
  void verifyExitsOneWithTheReasonForATamperedPackage() throws Exception {
    Path file = written();
    byte[] bytes = Files.readAllBytes(file);
    long[] lineage = PackageFixture.contentRanges(bytes).get(PackageLayout.LINEAGE);
    bytes[(int) lineage[0]] ^= 1;
    Files.write(file, bytes);
    assertEquals(1, run("verify", file.toString()));
    assertEquals("refused " + file + ": entry 'lineage.json' fails its CRC-32 check; its bytes were changed\n",
        err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }

  @Test
  void verifyExitsOneForAMissingFile() {
    assertEquals(1, run("verify", dir.resolve("nope.mlpkg").toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no package file"));
  }

  @Test
  void wrongUsageExitsTwoWithHelp() {
    assertEquals(2, run("frobnicate", "x"));
    assertEquals(2, run());
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: PackageTool show <file.mlpkg>"));
  }
}
