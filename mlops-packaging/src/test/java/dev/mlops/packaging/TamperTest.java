package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.CanonicalJson;
import dev.mlops.core.IntegrityException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries added, removed or replaced, and manifests edited, are each refused naming the file. */
class TamperTest {
  @TempDir Path dir;

  private IntegrityException refused(byte[] zip) throws Exception {
    Path file = Files.write(dir.resolve("tampered.mlpkg"), zip);
    return assertThrows(IntegrityException.class, () -> ModelPackage.read(file));
  }

  private ModelPackage pkg() {
    return PackageFixture.build(dir);
  }

  @Test
  void theUntouchedFixtureReads() throws Exception {
    Path file = Files.write(dir.resolve("ok.mlpkg"), pkg().toBytes());
    assertEquals(pkg().digest(), ModelPackage.read(file).digest());
  }

  @Test
  void anAddedEntryIsNamed() throws Exception {
    ModelPackage p = pkg();
    SortedMap<String, byte[]> entries = PackageFixture.entries(p);
    entries.put("artifacts/extra.txt", "sneaky".getBytes(StandardCharsets.UTF_8));
    IntegrityException e = refused(PackageFixture.zip(p.manifest().toBytes(), entries));
    assertTrue(e.getMessage().startsWith("'artifacts/extra.txt' is not listed in manifest.json; an entry was added"), e.getMessage());
  }

  @Test
  void aRemovedEntryIsNamed() throws Exception {
    ModelPackage p = pkg();
    SortedMap<String, byte[]> entries = PackageFixture.entries(p);
    entries.remove(PackageLayout.LINEAGE);
    IntegrityException e = refused(PackageFixture.zip(p.manifest().toBytes(), entries));
    assertEquals("manifest.json lists 'lineage.json' but the package lacks it; an entry was removed", e.getMessage());
  }

  @Test
  void aReplacedFileIsNamedWithBothDigests() throws Exception {
    ModelPackage p = pkg();
    SortedMap<String, byte[]> entries = PackageFixture.entries(p);
    entries.put("artifacts/a.txt", "ALPHA".getBytes(StandardCharsets.UTF_8));
    IntegrityException e = refused(PackageFixture.zip(p.manifest().toBytes(), entries));
    assertTrue(e.getMessage().startsWith("'artifacts/a.txt': expected " + p.manifest().file("artifacts/a.txt").orElseThrow().sha256()), e.getMessage());
  }

  @Test
  void anEditedManifestIsNamed() throws Exception {
    ModelPackage p = pkg();
    ObjectNode manifest = p.manifest().toJsonNode();
    manifest.put("version", "8");
    IntegrityException e = refused(PackageFixture.zip(CanonicalJson.toBytes(manifest), PackageFixture.entries(p)));
    assertTrue(e.getMessage().startsWith("manifest.json: the package digest " + p.digest() + " does not match"), e.getMessage());
  }

  @Test
  void aManifestListingAReplacedFileIsCaughtByTheDigest() throws Exception {
    ModelPackage p = pkg();
    byte[] other = "{}".getBytes(StandardCharsets.UTF_8);
    ObjectNode manifest = p.manifest().toJsonNode();
    manifest.withArray("files").forEach(f -> {
      if (f.get("path").asText().equals(PackageLayout.LINEAGE)) {
        ((ObjectNode) f).put("sha256", dev.mlops.core.Digest.of(other).toString()).put("size", other.length);
      }
    });
    SortedMap<String, byte[]> entries = PackageFixture.entries(p);
    entries.put(PackageLayout.LINEAGE, other);
    IntegrityException e = refused(PackageFixture.zip(CanonicalJson.toBytes(manifest), entries));
    assertTrue(e.getMessage().startsWith("manifest.json: the package digest"), e.getMessage());
  }

  @Test
  void aMissingManifestIsNamed() throws Exception {
    byte[] zip = new CraftedZip().file("signature.json", "{}".getBytes(StandardCharsets.UTF_8)).bytes();
    IntegrityException e = refused(zip);
    assertTrue(e.getMessage().endsWith("has no manifest.json; it is not a model package"), e.getMessage());
  }

  @Test
  void provenanceOfAnotherModelIsRefusedEvenWithAConsistentManifest() throws Exception {
    ModelPackage p = pkg();
    byte[] foreign = ProvenanceJson.toBytes(TrainedModels.inMemory(50, 99).getProvenance());
    IntegrityException e = refused(PackageFixture.rewrite(p, Map.of(PackageLayout.PROVENANCE, foreign)));
    assertTrue(e.getMessage().startsWith("model/provenance.json does not describe the model in model/model.tribuo"), e.getMessage());
  }

  @Test
  void underAnotherTribuoVersionTheProvenanceJsonIsNotCompared() throws Exception {
    ModelPackage p = pkg();
    ObjectNode environment = (ObjectNode) CanonicalJson.parse(PackageFixture.entries(p).get(PackageLayout.ENVIRONMENT));
    environment.put(PackageLayout.TRIBUO_VERSION, "4.3.1");
    byte[] foreign = ProvenanceJson.toBytes(TrainedModels.inMemory(50, 99).getProvenance());
    byte[] zip = PackageFixture.rewrite(p, Map.of(PackageLayout.ENVIRONMENT, CanonicalJson.toBytes(environment), PackageLayout.PROVENANCE, foreign));
    Path file = Files.write(dir.resolve("older.mlpkg"), zip);
    assertEquals(p.provenance(), ModelPackage.read(file).provenance());
  }

  @Test
  void aModelFileThatIsNotProtobufIsNamed() throws Exception {
    ModelPackage p = pkg();
    byte[] junk = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    IntegrityException e = refused(PackageFixture.rewrite(p, Map.of(PackageLayout.MODEL, junk)));
    assertTrue(e.getMessage().startsWith("model/model.tribuo is not a Tribuo protobuf model"), e.getMessage());
  }

  @Test
  void aMalformedSignatureIsNamed() throws Exception {
    IntegrityException e = refused(PackageFixture.rewrite(pkg(), Map.of(PackageLayout.SIGNATURE, "[1,2".getBytes(StandardCharsets.UTF_8))));
    assertTrue(e.getMessage().startsWith("signature.json is malformed"), e.getMessage());
  }
}
