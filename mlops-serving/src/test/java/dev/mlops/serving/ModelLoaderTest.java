package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.io.ByteSource;
import dev.mlops.packaging.LoadOptions;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.ModelUri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A package loaded from bytes owns a private copy: its artifacts stay readable, and the copy goes with the package. */
class ModelLoaderTest {
  @TempDir Path dir;

  @Test
  void aPackageLoadedFromBytesKeepsServingItsArtifactsAndLeavesNoFileBehind() throws IOException {
    byte[] artifact = new byte[3 << 20];
    new Random(5).nextBytes(artifact);
    Path source = Files.write(dir.resolve("weights.bin"), artifact);
    ModelPackage built = ModelPackage.builder("clf").version("3")
        .model(TestModels.pkg("clf", "3", TestModels.FALLING).model())
        .artifact("weights.bin", source)
        .build();
    byte[] bytes = built.toBytes();
    Files.delete(source);
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before = packageCopies(tmp);

    ModelLoader loader = new ModelLoader(LoadOptions.defaults(), Clock.systemUTC());
    LoadedModel loaded = loader.load(ModelUri.parse("models:/clf/3"), ResolvedModel.ofBytes("clf", "3", ByteSource.wrap(bytes), built.digest()));
    try (ModelPackage pkg = loaded.modelPackage()) {
      // The temporary copy is already unlinked: nothing can delete or replace it under the package.
      assertEquals(before, packageCopies(tmp));
      assertArrayEquals(artifact, pkg.artifacts().get("weights.bin").read());
      assertArrayEquals(artifact, pkg.artifacts().get("weights.bin").read());
    }
  }

  private static List<Path> packageCopies(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().startsWith("mlops-package-")).sorted().toList();
    }
  }
}
