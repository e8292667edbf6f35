package dev.mlops.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A temporary folder for a benchmark's data, deleted with everything in it on {@link #close()}.
 *
 * <pre>{@code
 * try (ScratchFolder folder = ScratchFolder.create("metrics")) {
 *   Path db = folder.resolve("mlops.db");
 * }
 * }</pre>
 */
final class ScratchFolder implements AutoCloseable {
  private final Path path;

  private ScratchFolder(Path path) {
    this.path = path;
  }

  /** A new empty folder under the system's temporary folder. */
  static ScratchFolder create(String purpose) {
    try {
      return new ScratchFolder(Files.createTempDirectory("mlops-bench-" + purpose + "-"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for " + purpose, e);
    }
  }

  Path path() {
    return path;
  }

  Path resolve(String name) {
    return path.resolve(name);
  }

  @Override
  public void close() {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      List<Path> deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path p : deepestFirst) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the temporary folder " + path, e);
    }
  }
}
