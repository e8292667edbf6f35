package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.packaging.probe.Initialisations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.sgd.protos.ClassificationLinearSGDProto;
import org.tribuo.protos.core.FeatureDomainProto;
import org.tribuo.protos.core.ModelDataProto;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.WeightedEnsembleModelProto;

/**
 * Classes a package names are checked against the loader's allow-list before any is loaded,
 * including in crafted models that a scan by the wire's shape missed: a class-name field given
 * twice (protobuf keeps the last), a class in the default package, a class nested far below the
 * model. Each is refused naming the class, which is never initialised.
 */
class AllowListTest {
  private static final String MODEL_PROBE = "dev.mlops.packaging.probe.SelfReportingModel";
  // Exactly as long as the name it replaces, so the protobuf lengths stay valid.
  private static final String FEATURE_MAP = "org.tribuo.ImmutableFeatureMap";
  private static final String DOMAIN_PROBE = "dev.mlops.packaging.probe.Deep";
  private static final String MODEL_PROVENANCE = "org.tribuo.provenance.ModelProvenance";
  private static final String PROVENANCE_PROBE = "dev.mlops.packaging.probe.HostileProv";
  private static final String REPEATED = "dev.mlops.packaging.probe.RepeatedName";
  private static final String DEFAULT_PACKAGE = "DefaultPackageProbe";
  private static final String NESTED = "dev.mlops.packaging.probe.Nested";
  private static final String ENSEMBLE = "org.tribuo.ensemble.WeightedEnsembleModel";

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

  @Test
  void aClassNameFieldGivenTwiceIsJudgedByTheValueProtobufKeeps() throws IOException {
    Path file = withFeatureDomainClass(REPEATED);
    assertRefusedNaming(file, REPEATED);
    // The control: with the class allowed, Tribuo reaches the second value and initialises it.
    assertThrows(RuntimeException.class, () -> ModelPackage.read(file, LoadOptions.defaults().allowClassPrefix("dev.mlops.packaging.probe.")));
    assertTrue(Initialisations.happened(REPEATED));
  }

  @Test
  void aClassInTheDefaultPackageIsJudgedToo() throws IOException {
    assertRefusedNaming(withFeatureDomainClass(DEFAULT_PACKAGE), DEFAULT_PACKAGE);
  }

  @Test
  void aClassNestedFarBelowSixtyFourMessagesIsFound() throws IOException {
    int levels = 30; // three messages a level: model, Any, ensemble
    Path file = nested(levels, NESTED);
    assertRefusedNaming(file, NESTED);
  }

  @Test
  void nestingBeyondTheLimitIsRefusedBeforeAnyClassIsLoaded() throws IOException {
    Path file = nested(30, NESTED);
    LoadOptions shallow = LoadOptions.defaults().maxModelDepth(50);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(file, shallow));
    assertEquals(
        "model/model.tribuo nests messages more than 50 deep, so not every class it names can be checked; the package is"
            + " refused. Raise LoadOptions.maxModelDepth if the package is trusted",
        e.getMessage());
    assertFalse(Initialisations.happened(NESTED));
  }

  @Test
  void aMessageOfAnUnknownTypeIsRefusedAsUncheckable() throws IOException {
    ModelPackage p = PackageFixture.build(dir);
    ModelProto proto = ModelProto.parseFrom(PackageFixture.entries(p).get(PackageLayout.MODEL));
    ModelProto hostile = proto.toBuilder()
        .setSerializedData(Any.newBuilder().setTypeUrl("type.googleapis.com/evil.Payload").setValue(ByteString.copyFromUtf8("x")))
        .build();
    Path file = Files.write(dir.resolve("hostile.mlpkg"), rewriteWithModelClass(p, hostile.toByteArray(), hostile.getClassName()));
    IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.read(file));
    assertTrue(e.getMessage().startsWith("model/model.tribuo holds a message of type 'evil.Payload', which is not one of the"
        + " Tribuo message types the reader knows"), e.getMessage());
  }

  private void assertRefusedNaming(Path file, String probe) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelPackage.read(file));
    assertEquals(
        "model/model.tribuo names the class '" + probe + "', which the loader's allow-list [org.tribuo.] does not allow;"
            + " the class was not loaded. If the package is trusted, allow it with LoadOptions.allowClassPrefix",
        e.getMessage());
    assertFalse(Initialisations.happened(probe));
  }

  /**
   * The fixture's model with a second class-name field for its feature domain, appended to the
   * model data: on the wire the domain names two classes, and protobuf merges the two
   * occurrences of the domain so that the appended name is the one Tribuo resolves.
   */
  private Path withFeatureDomainClass(String className) throws IOException {
    ModelPackage p = PackageFixture.build(dir);
    ModelProto proto = ModelProto.parseFrom(PackageFixture.entries(p).get(PackageLayout.MODEL));
    Any data = proto.getSerializedData();
    assertTrue(data.is(ClassificationLinearSGDProto.class), data.getTypeUrl());
    byte[] name = field(FeatureDomainProto.CLASS_NAME_FIELD_NUMBER, ByteString.copyFromUtf8(className));
    byte[] domain = field(ModelDataProto.FEATURE_DOMAIN_FIELD_NUMBER, ByteString.copyFrom(name));
    byte[] metadata = field(ClassificationLinearSGDProto.METADATA_FIELD_NUMBER, ByteString.copyFrom(domain));
    ModelProto hostile = proto.toBuilder()
        .setSerializedData(data.toBuilder().setValue(data.getValue().concat(ByteString.copyFrom(metadata))))
        .build();
    assertEquals(className, hostile.getSerializedData().unpack(ClassificationLinearSGDProto.class)
        .getMetadata().getFeatureDomain().getClassName(), "protobuf keeps the last value");
    return Files.write(dir.resolve("hostile.mlpkg"), rewriteWithModelClass(p, hostile.toByteArray(), hostile.getClassName()));
  }

  /** Ensembles of one member each, {@code levels} deep, around a model of class {@code className}. */
  private Path nested(int levels, String className) throws IOException {
    ModelPackage p = PackageFixture.build(dir);
    ModelProto inner = ModelProto.parseFrom(PackageFixture.entries(p).get(PackageLayout.MODEL)).toBuilder().setClassName(className).build();
    for (int i = 0; i < levels; i++) {
      WeightedEnsembleModelProto ensemble = WeightedEnsembleModelProto.newBuilder().addModels(inner).addWeights(1f).build();
      inner = ModelProto.newBuilder().setVersion(0).setClassName(ENSEMBLE).setSerializedData(Any.pack(ensemble)).build();
    }
    return Files.write(dir.resolve("hostile.mlpkg"), rewriteWithModelClass(p, inner.toByteArray(), ENSEMBLE));
  }

  private static byte[] field(int number, ByteString value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.writeBytes(number, value);
    coded.flush();
    return out.toByteArray();
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
