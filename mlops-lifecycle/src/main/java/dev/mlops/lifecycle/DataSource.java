package dev.mlops.lifecycle;

import dev.mlops.core.Digest;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where a life cycle's training data comes from: a digest that names the current content (a pass
 * whose data digest, configuration and code are unchanged does nothing) and the rows themselves.
 * The digest is asked first and must be cheap; the rows are read only when something changed.
 *
 * <pre>{@code
 * DataSource.csv(Path.of("incoming"));          // every *.csv file of the folder, in name order
 * DataSource.csv(Path.of("train.csv"));         // one file
 * DataSource.of(() -> warehouse.lastWeek());    // any frame, digested by its CSV form
 * }</pre>
 */
public interface DataSource {
  /** The SHA-256 of the current content. */
  Digest digest();

  /** The current rows. */
  Frame read();

  /** A name for records and messages. */
  String describe();

  /**
   * The CSV files of a folder, concatenated in file-name order (they must share a header), or a
   * single CSV file. The digest is the folder's or the file's SHA-256, so adding, changing or
   * removing a file is new data.
   */
  static DataSource csv(Path location) {
    Objects.requireNonNull(location, "location");
    return new DataSource() {
      @Override
      public Digest digest() {
        if (Files.isDirectory(location)) {
          return Digest.ofFolder(location);
        }
        if (Files.isRegularFile(location)) {
          return Digest.ofFile(location);
        }
        throw new NotFoundException("no CSV file or folder at '" + location + "'; give the folder new batches arrive in");
      }

      @Override
      public Frame read() {
        if (!Files.isDirectory(location)) {
          return Frame.readCsv(location);
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(location)) {
          files = listed.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list '" + location + "'", e);
        }
        if (files.isEmpty()) {
          throw new InvalidInputException("the folder '" + location + "' holds no .csv file; put a batch there first");
        }
        Frame first = Frame.readCsv(files.get(0));
        if (files.size() == 1) {
          return first;
        }
        FrameBuilder rows = Frame.builder(first.schema());
        for (Path file : files) {
          Frame part = file.equals(files.get(0)) ? first : Frame.readCsv(file, first.schema());
          for (int i = 0; i < part.rowCount(); i++) {
            rows.row(part.row(i));
          }
        }
        return rows.build();
      }

      @Override
      public String describe() {
        return location.toString();
      }
    };
  }

  /** Any frame; its digest is the SHA-256 of its CSV form, so the supplier is called for each digest. */
  static DataSource of(Supplier<Frame> frames) {
    Objects.requireNonNull(frames, "frames");
    return new DataSource() {
      private Frame last;
      private Digest lastDigest;

      @Override
      public synchronized Digest digest() {
        last = Objects.requireNonNull(frames.get(), "the supplier gave no frame");
        lastDigest = Digest.of(last.toCsv());
        return lastDigest;
      }

      @Override
      public synchronized Frame read() {
        if (last == null) {
          digest();
        }
        return last;
      }

      @Override
      public String describe() {
        return "a supplied frame";
      }
    };
  }
}
