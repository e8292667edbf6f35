package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.MlopsException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without the server module, {@code tracker.ui()} says which dependency to add. */
class TrackerUiWithoutServerTest {
  @Test
  void theMissingModuleIsNamed(@TempDir Path dir) {
    try (Tracker tracker = Tracker.builder("sqlite:" + dir.resolve("mlops.db")).synchronous(true).build()) {
      MlopsException e = assertThrows(MlopsException.class, tracker::ui);
      assertTrue(e.getMessage().contains("dev.mlops:mlops-server") && e.getMessage().contains("mlops-all"),
          e.getMessage());
    }
  }
}
