package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.mlops.core.InvalidInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.baseline.DummyClassifierTrainer;

/** Models Tribuo can export to ONNX carry an ONNX copy when asked; the copy is verified like every file. */
class OnnxExportTest {
  private static ModelPackage.Builder builder(Model<?> model) {
    return ModelPackage.builder("onnx").version("12").model(model).environment(PackageFixture.ENVIRONMENT)
        .clock(PackageFixture.CLOCK).onnx("dev.mlops.test");
  }

  @Test
  void aLinearModelIsStoredAsOnnxAndReadBack(@TempDir Path dir) throws Exception {
    ModelPackage pkg = builder(PackageFixture.MODEL).build();
    assertArrayEquals(pkg.toBytes(), builder(PackageFixture.MODEL).build().toBytes());
    pkg.writeTo(dir.resolve("m.mlpkg"));

    ModelPackage loaded = ModelPackage.read(dir.resolve("m.mlpkg"));
    OnnxMl.ModelProto onnx = OnnxMl.ModelProto.parseFrom(loaded.onnxModel().orElseThrow().read());
    assertEquals("dev.mlops.test", onnx.getDomain());
    assertEquals(12, onnx.getModelVersion());
    assertTrue(loaded.manifest().file(PackageLayout.ONNX).isPresent());
    assertTrue(PackageFixture.build(dir).onnxModel().isEmpty());
  }

  @Test
  void aModelWithoutOnnxExportIsRefused() {
    Model<Label> dummy = DummyClassifierTrainer.createMostFrequentTrainer()
        .train(new MutableDataset<>(TrainedModels.inMemorySource(50, 2)));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> builder(dummy).build());
    assertTrue(e.getMessage().startsWith("a DummyClassifierModel cannot be exported to ONNX"), e.getMessage());
  }
}
