package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @Test
  void replacesTheFileAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a/b/page.html");
    AtomicFile.writeString(file, "one", "the page");
    AtomicFile.writeString(file, "two ü", "the page");
    assertEquals("two ü", Files.readString(file));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void aFailureNamesTheFileAndWhatWasWritten(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectory(dir.resolve("taken"));
    Files.writeString(folder.resolve("x"), "keeps the folder non-empty");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFile.writeString(folder, "x", "the card"));
    assertTrue(e.getMessage().contains("the card") && e.getMessage().contains("taken"), e.getMessage());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }
}
