package dev.mlops.packaging;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bytes of a package file, held open from the moment it is read until the package is closed:
 * whatever later happens to the path (deleted, replaced by a move, a new file written in its
 * place), the package keeps reading the file it verified. A package made from a stream is held in
 * memory when it is small ({@value #IN_MEMORY} bytes at most) and otherwise copied into a private
 * temporary file that is unlinked at once where the platform allows it, and deleted at close
 * otherwise.
 *
 * <p>Reads go through a {@link RandomAccessFile} rather than a {@code FileChannel}: a channel is
 * closed for every reader when one reading thread is interrupted, which would break a served
 * package for good. Positional reads are serialised on the file, and each is one short copy from
 * the page cache; hashing, the slow part, runs outside the lock.
 */
final class PackageData implements AutoCloseable {
  /** The largest stream held in memory rather than in a temporary file. */
  static final int IN_MEMORY = 1 << 20;

  /** The open file, or null when the bytes are held in memory. */
  private final RandomAccessFile file;
  private final byte[] bytes;
  private final Object lock = new Object();
  private final String label;
  private final long size;
  private final Path deleteOnClose;
  private volatile boolean closed;

  private PackageData(RandomAccessFile file, String label, Path deleteOnClose) throws IOException {
    this.file = file;
    this.bytes = null;
    this.label = label;
    this.size = file.length();
    this.deleteOnClose = deleteOnClose;
  }

  private PackageData(byte[] bytes, String label) {
    this.file = null;
    this.bytes = bytes;
    this.label = label;
    this.size = bytes.length;
    this.deleteOnClose = null;
  }

  /** Opens a package file for reading. */
  static PackageData open(Path path) {
    try {
      return new PackageData(new RandomAccessFile(path.toFile(), "r"), path.toString(), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the package file '" + path + "'", e);
    }
  }

  /**
   * Copies a stream of at most {@code maxBytes} into a private temporary file and opens it.
   *
   * @throws InvalidInputException if the stream holds more than {@code maxBytes}
   */
  static PackageData copyOf(InputStream in, String label, long maxBytes) {
    Path temp = null;
    try {
      int inMemory = (int) Math.min(IN_MEMORY, maxBytes);
      byte[] head = in.readNBytes(inMemory + 1);
      if (head.length <= inMemory) {
        return new PackageData(head, label);
      }
      if (head.length > maxBytes) {
        throw tooLarge(label, maxBytes);
      }
      temp = Files.createTempFile("mlops-package-", ".mlpkg");
      try (var out = Files.newOutputStream(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        out.write(head);
        byte[] buffer = new byte[Checksums.BUFFER_SIZE];
        long total = head.length;
        for (int n; (n = in.read(buffer)) >= 0; ) {
          total += n;
          if (total > maxBytes) {
            throw tooLarge(label, maxBytes);
          }
          out.write(buffer, 0, n);
        }
      }
      RandomAccessFile raf = new RandomAccessFile(temp.toFile(), "r");
      Path leftOver = unlink(temp) ? null : temp;
      temp = null;
      return new PackageData(raf, label, leftOver);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + label + " into a private temporary file", e);
    } finally {
      if (temp != null) {
        unlink(temp);
      }
    }
  }

  private static InvalidInputException tooLarge(String label, long maxBytes) {
    return new InvalidInputException(
        label + " holds more than the limit of " + maxBytes + " bytes; raise LoadOptions.maxBytes if the package is trusted");
  }

  private static boolean unlink(Path path) {
    try {
      Files.deleteIfExists(path);
      return true;
    } catch (IOException e) {
      // Some platforms refuse to delete an open file; it is deleted at close instead.
      return false;
    }
  }

  /** The file's name in messages. */
  String label() {
    return label;
  }

  /** The file's size when it was opened. */
  long size() {
    return size;
  }

  /**
   * Reads {@code length} bytes at {@code position}.
   *
   * @throws IntegrityException if the file ends first
   * @throws IllegalStateException if the package was closed
   */
  byte[] read(long position, int length) {
    byte[] bytes = new byte[length];
    read(position, bytes, 0, length);
    return bytes;
  }

  /** Reads {@code length} bytes at {@code position} into {@code into} at {@code offset}; see {@link #read(long, int)}. */
  void read(long position, byte[] into, int offset, int length) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the package read from " + label + " was closed; read it again to use it");
      }
      if (bytes != null) {
        if (position + length > size) {
          throw new IntegrityException("'" + label + "' ends before byte " + (position + length) + "; it was truncated");
        }
        System.arraycopy(bytes, (int) position, into, offset, length);
        return;
      }
      try {
        file.seek(position);
        file.readFully(into, offset, length);
      } catch (java.io.EOFException e) {
        throw new IntegrityException("'" + label + "' ends before byte " + (position + length) + "; it was truncated", e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read '" + label + "'", e);
      }
    }
  }

  /** A stream of the {@code length} bytes at {@code position}. */
  InputStream stream(long position, long length) {
    return new InputStream() {
      private long done;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (done == length) {
          return -1;
        }
        int n = (int) Math.min(len, length - done);
        PackageData.this.read(position + done, b, off, n);
        done += n;
        return n;
      }
    };
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed || file == null) {
        closed = true;
        return;
      }
      closed = true;
      try {
        file.close();
      } catch (IOException e) {
        // Closing a file opened for reading loses nothing.
      }
    }
    if (deleteOnClose != null) {
      unlink(deleteOnClose);
    }
  }
}
