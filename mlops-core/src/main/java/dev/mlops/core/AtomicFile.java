package dev.mlops.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that no reader ever sees half of it: the bytes go to a temporary file in the
 * same folder, which is then moved onto the target (atomically where the file system can, else
 * by a plain replace); a failure leaves the target as it was and no temporary file behind.
 *
 * <pre>{@code
 * AtomicFile.writeString(Path.of("card.html"), html, "the model card");
 * }</pre>
 */
public final class AtomicFile {
  private AtomicFile() {}

  /**
   * Writes UTF-8 text to {@code file}, replacing it; parent folders are created.
   *
   * @param what how an error message names the content, such as {@code the model card}
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public static void writeString(Path file, String text, String what) {
    write(file, text.getBytes(StandardCharsets.UTF_8), what);
  }

  /** Writes bytes to {@code file}, replacing it; see {@link #writeString}. */
  public static void write(Path file, byte[] bytes, String what) {
    Path target = file.toAbsolutePath();
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      // Not truncated: ext4 starts the writeback of a file truncated to zero when it is closed.
      Files.write(tmp, bytes, StandardOpenOption.WRITE);
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + what + " to '" + file + "'", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // the move happened or failed; a left-over temporary file is harmless
        }
      }
    }
  }
}
