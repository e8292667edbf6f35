package dev.mlops.examples;

import dev.mlops.core.InvalidInputException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder an example writes into: the first command-line argument, or a default under
 * {@code target/}. An example's folder is emptied before it runs, so that every run starts from
 * the same state; a marker file says which folders the examples wrote, and a folder holding
 * anything else is refused rather than emptied.
 */
final class OutputFolder {
  /** The file that marks a folder an example wrote. */
  static final String MARKER = ".mlops-example";
  /** A subfolder with at most this many files is listed file by file in a summary. */
  static final int SMALL_FOLDER = 5;

  private OutputFolder() {}

  /**
   * The folder named by {@code args[0]}, or else {@code defaultFolder}, as an absolute path,
   * created or emptied.
   *
   * @throws InvalidInputException if the folder holds files no example wrote
   */
  static Path prepare(String[] args, String defaultFolder) {
    Path out = Path.of(args.length > 0 ? args[0] : defaultFolder).toAbsolutePath().normalize();
    try {
      if (Files.isDirectory(out)) {
        boolean empty;
        try (Stream<Path> entries = Files.list(out)) {
          empty = entries.findAny().isEmpty();
        }
        if (!empty && !Files.exists(out.resolve(MARKER))) {
          throw new InvalidInputException("'" + out + "' holds files the examples did not write; "
              + "give an empty or new folder");
        }
        try (Stream<Path> walk = Files.walk(out)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            if (!p.equals(out)) {
              Files.delete(p);
            }
          }
        }
      }
      Files.createDirectories(out);
      Files.writeString(out.resolve(MARKER), "written by the mlops-java examples; emptied by the next run\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the output folder '" + out + "'", e);
    }
    return out;
  }

  /**
   * Everything an example wrote into the folder, for its summary: each file of the folder and of
   * its small subfolders by path, and a larger subfolder (a store's artifacts) as the folder and
   * its number of files.
   */
  static List<String> written(Path out) {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> entries = Files.list(out)) {
      for (Path p : entries.sorted().toList()) {
        if (p.getFileName().toString().equals(MARKER)) {
          continue;
        }
        if (!Files.isDirectory(p)) {
          lines.add(p.toString());
          continue;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(p)) {
          files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.size() <= SMALL_FOLDER) {
          files.forEach(f -> lines.add(f.toString()));
        } else {
          lines.add(p + File.separator + " (" + files.size() + " files)");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the output folder '" + out + "'", e);
    }
    return lines;
  }
}
