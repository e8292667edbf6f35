package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every built library jar names its module in its manifest, so that the module path gives it
 * that name rather than one derived from the file name ({@code mlops.core} from
 * {@code mlops-core-0.1.0-SNAPSHOT.jar}), and the name is what the JDK itself resolves.
 */
class ModuleNamesIT {
  private static final String VERSION = System.getProperty("mlops.version");

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "mlops-core, dev.mlops.core",
      "mlops-packaging, dev.mlops.packaging",
      "mlops-tracking, dev.mlops.tracking",
      "mlops-monitoring, dev.mlops.monitoring",
      "mlops-explain, dev.mlops.explain",
      "mlops-serving, dev.mlops.serving",
      "mlops-lifecycle, dev.mlops.lifecycle",
      "mlops-server, dev.mlops.server",
      "mlops-spark, dev.mlops.spark",
      "mlops-cli, dev.mlops.cli",
  })
  void theJarNamesItsModule(String artifact, String moduleName) throws IOException {
    assertNotNull(VERSION, "the build passes the project version as mlops.version");
    Path jar = Path.of("..", artifact, "target", artifact + "-" + VERSION + ".jar").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(jar), "build the jar first (mvn package): " + jar);
    try (JarFile file = new JarFile(jar.toFile())) {
      assertEquals(moduleName, file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"), jar.toString());
    }
    Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
    assertEquals(1, found.size(), jar.toString());
    ModuleDescriptor descriptor = found.iterator().next().descriptor();
    assertEquals(moduleName, descriptor.name());
    assertTrue(descriptor.isAutomatic(), moduleName + " is an automatic module");
  }
}
