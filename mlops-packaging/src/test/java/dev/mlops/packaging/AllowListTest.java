package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.packaging.probe.Initialisations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.protos.core.ModelProto;

/** Classes a package names are checked against the loader's allow-list before any is loaded. */
class AllowListTest {
  private static final String MODEL_PROBE = "dev.mlops.packaging.probe.SelfReportingModel";
  // Exactly as long as the name it replaces, so the protobuf lengths stay valid.
  private static final String FEATURE_MAP = "org.tribuo.ImmutableFeatureMap";
  private static final String DOMAIN_PROBE = "dev.mlops.packaging.probe.Deep";
  private static final String MODEL_PROVENANCE = "org.tribuo.provenance.ModelProvenance";
  private static final String PROVENANCE_PROBE = "dev.mlops.packaging.probe.HostileProv";

  @TempDir Path dir;

  @Test
  void aModelClassOutsideTheAllowListIsRefusedBeforeItIsInitialised() throws Exception {
    ModelPackage p = PackageFixture.build(dir);
    ModelProto proto = ModelProto.parseFrom(PackageFixture.entries(p).get(PackageLayout.MODEL)).toBuilder().setClassName(MODEL_PROBE).build();
    Path file = Files.write(dir.resolve("hostile.mlpkg"), rewriteWithModelClass(p, proto.toByteArray(), MODEL_PROBE));

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(file));
    assertEquals(
        "model/model.tribuo names the class '" + MODEL_PROBE + "', which the loader's allow-list [org.tribuo.] does not allow;"
            + " the class was not loaded. If the package is trusted, allow it with LoadOptions.allowClassPrefix",
        e.getMessage());
    assertFalse(Initialisations.happened(MODEL_PROBE));

    // The control: once the loader allows the class, Tribuo does load and initialise it.
    LoadOptions trusting = LoadOptions.defaults().allowClassPrefix("dev.mlops.packaging.probe.");
    assertThrows(MlopsException.class, () -> ModelPackage.read(file, trusting));
    assertTrue(Initialisations.happened(MODEL_PROBE));
  }

  @Test
  void aClassNamedDeepInsideTheModelIsCheckedToo() throws Exception {
    assertRefusedUninitialised(FEATURE_MAP, DOMAIN_PROBE);
  }

  @Test
  void aProvenanceClassOutsideTheAllowListIsRefusedBeforeItIsInitialised() throws Exception {
    assertRefusedUninitialised(MODEL_PROVENANCE, PROVENANCE_PROBE);
  }

  /** Puts {@code probe} in place of a class name inside the model and expects a refusal naming it. */
  private void assertRefusedUninitialised(String replaced, String probe) throws Exception {
    ModelPackage p = PackageFixture.build(dir);
    assertEquals(replaced.length(), probe.length());
    byte[] hostile = replaceOnce(PackageFixture.entries(p).get(PackageLayout.MODEL), replaced, probe);
    Path file = Files.write(dir.resolve("hostile.mlpkg"), PackageFixture.rewrite(p, Map.of(PackageLayout.MODEL, hostile)));

    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(file));
    assertTrue(e.getMessage().startsWith("model/model.tribuo names the class '" + probe + "'"), e.getMessage());
    assertFalse(Initialisations.happened(probe));
  }

  @Test
  void theScanFindsTheNestedTribuoClassesAndTheProvenanceClasses() throws Exception {
    byte[] bytes = PackageFixture.entries(PackageFixture.build(dir)).get(PackageLayout.MODEL);
    ModelProto proto = ModelProto.parseFrom(bytes);
    ClassAllowList.Names names = ClassAllowList.check(bytes, LoadOptions.defaults(), "model").names();
    assertEquals(proto.getClassName(), names.envelopes().get(0));
    assertTrue(names.envelopes().containsAll(List.of(FEATURE_MAP, "org.tribuo.classification.ImmutableLabelInfo", "org.tribuo.math.la.DenseMatrix")),
        names.toString());
    assertTrue(names.provenance().containsAll(List.of(MODEL_PROVENANCE, "org.tribuo.provenance.impl.TrainerProvenanceImpl",
        "com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance")), names.toString());
  }

  @Test
  void prefixesMustBePackageNames() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> LoadOptions.defaults().allowClassPrefix("com"));
    assertEquals("class prefix 'com' must be a package name ending in '.', such as 'org.tribuo.'", e.getMessage());
    assertFalse(LoadOptions.defaults().allows("org.tribuonot.Evil"));
    assertTrue(LoadOptions.defaults().allows("org.tribuo.Model"));
  }

  private static byte[] rewriteWithModelClass(ModelPackage p, byte[] model, String modelClass) {
    java.util.SortedMap<String, byte[]> entries = PackageFixture.entries(p);
    entries.put(PackageLayout.MODEL, model);
    PackageManifest m = p.manifest();
    PackageManifest manifest = PackageManifest.create(
        m.name(), m.version(), m.createdAt(), modelClass, m.outputType(), m.metadata(),
        entries.entrySet().stream().map(e -> PackageFile.of(e.getKey(), e.getValue())).toList());
    return PackageFixture.zip(manifest.toBytes(), entries);
  }

  private static byte[] replaceOnce(byte[] bytes, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.UTF_8);
    byte[] t = to.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + f.length <= bytes.length; i++) {
      if (java.util.Arrays.equals(bytes, i, i + f.length, f, 0, f.length)) {
        byte[] copy = bytes.clone();
        System.arraycopy(t, 0, copy, i, t.length);
        return copy;
      }
    }
    throw new AssertionError(from + " not found");
  }
}
