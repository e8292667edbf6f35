package dev.mlops.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes a decision record's JSON and HTML into a records folder, each through a temporary file, so a reader never sees half a record. */
final class RecordFiles {
  private RecordFiles() {}

  static List<Path> write(Path folder, DecisionRecord record) {
    try {
      Files.createDirectories(folder);
      Path json = folder.resolve(record.passRunId() + ".json");
      Path html = folder.resolve(record.passRunId() + ".html");
      replace(json, record.toJson());
      replace(html, record.toHtml());
      return List.of(json, html);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the decision record of pass " + record.passRunId() + " to '" + folder
          + "'; check that the folder is writable", e);
    }
  }

  private static void replace(Path target, String content) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".decision-", ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
