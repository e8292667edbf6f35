package dev.mlops.packaging;

import com.google.common.base.Optional;
import com.google.common.io.ByteSource;
import com.google.common.io.MoreFiles;
import dev.mlops.core.Digest;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.NotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.zip.CRC32;

/**
 * One file of a package: what the manifest and the zip record for it (SHA-256, size, CRC-32) and
 * where its bytes come from. The files parsed at load time are held in memory; an artifact of a
 * package just built is read from its own file, one of a package that was read from the package
 * file it was verified in, held open. Whatever the source, its bytes are checked against the recorded SHA-256 and size as they
 * are read, so a source that changed since is an {@link IntegrityException} naming the file, not
 * a silently different package.
 */
final class PackageEntry {
  private final PackageFile file;
  private final long crc32;
  private final ByteSource source;
  private final String origin;
  /** The file the bytes are kept in, for an artifact of a package just built; otherwise null. */
  private final Path sourceFile;
  /** What to do when the source changed, with its leading separator; empty for bytes in memory, which cannot change. */
  private final String remedy;

  private PackageEntry(PackageFile file, long crc32, ByteSource source, String origin, String remedy, Path sourceFile) {
    this.sourceFile = sourceFile;
    this.file = file;
    this.crc32 = crc32;
    this.source = source;
    this.origin = origin;
    this.remedy = remedy;
  }

  /** An entry held in memory, its checksums computed here. */
  static PackageEntry ofBytes(String path, byte[] bytes) {
    Checksums sums = Checksums.of(bytes);
    return held(sums.file(path), sums.crc32(), bytes);
  }

  /** An entry held in memory whose checksums were taken while it was read. */
  static PackageEntry held(PackageFile file, long crc32, byte[] bytes) {
    return new PackageEntry(file, crc32, ByteSource.wrap(bytes), "memory", "", null);
  }

  /**
   * An entry whose bytes stay in {@code source}, hashed here in one pass through {@code buffer}.
   *
   * @throws NotFoundException if there is no such file
   */
  static PackageEntry ofFile(String path, Path source, ByteBuffer buffer) {
    Checksums sums;
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      sums = Checksums.of(in, buffer);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("'" + path + "': no file '" + source + "'; check the path", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + path + "' from '" + source + "'", e);
    }
    return new PackageEntry(
        sums.file(path), sums.crc32(), MoreFiles.asByteSource(source), "the file '" + source + "'",
        "; files added to a package must not change until it is written, so build the package again", source);
  }

  /**
   * An entry left in the package file it was verified in, read from the file as it was opened,
   * whatever has happened to its path since.
   */
  static PackageEntry inPackage(PackageData data, long offset, PackageFile file, long crc32) {
    ByteSource slice = new ByteSource() {
      @Override
      public InputStream openStream() {
        return data.stream(offset, file.size());
      }
    };
    return new PackageEntry(
        file, crc32, slice, "the package file '" + data.label() + "'",
        "; the package file was changed in place while in use, so read it again", null);
  }

  /** The manifest's record of this entry. */
  PackageFile file() {
    return file;
  }

  String path() {
    return file.path();
  }

  /** The CRC-32 the zip records before the entry's data. */
  long crc32() {
    return crc32;
  }

  /**
   * The entry's bytes; a stream read to its end throws {@link IntegrityException} instead of
   * ending if the bytes differ from the recorded SHA-256 or size.
   */
  ByteSource content() {
    return new ByteSource() {
      @Override
      public InputStream openStream() throws IOException {
        return open();
      }

      @Override
      public Optional<Long> sizeIfKnown() {
        return Optional.of(file.size());
      }
    };
  }

  /**
   * A stream of the entry's bytes, checked as in {@link #content()}.
   *
   * @throws NotFoundException if the file the bytes are kept in is gone
   */
  InputStream open() throws IOException {
    return new VerifyingStream(openSource(), true);
  }

  /**
   * A stream of the entry's bytes for copying them into a package, checked against the recorded
   * size and CRC-32 only: the SHA-256 was taken when the entry was hashed and is verified again
   * by whoever reads the package, so hashing here would only repeat that work.
   */
  InputStream openForCopy() throws IOException {
    return new VerifyingStream(openSource(), false);
  }

  /**
   * Writes the entry's bytes to {@code out}, checked against the recorded size and CRC-32 as
   * {@link #openForCopy()} does. An artifact file written into a {@link ChannelOutput} is copied
   * through its direct buffer by {@link #copyTo(FileChannel, long, ByteBuffer)}.
   */
  void copyTo(OutputStream out, byte[] buffer) throws IOException {
    if (sourceFile != null && out instanceof ChannelOutput channel) {
      channel.copy(this);
      return;
    }
    try (InputStream in = openForCopy()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    }
  }

  /**
   * Writes the bytes of an artifact kept in its own file into {@code target} at {@code position}
   * through {@code buffer}, checked against the recorded size and CRC-32: the file is read once into
   * the buffer and its CRC-32 taken from the bytes the write is then given, so a file changed since
   * the build is refused without hashing it again, and without a second read of what was written.
   *
   * @throws IntegrityException naming the entry if its source no longer holds the recorded bytes
   * @throws NotFoundException naming the entry if its file is gone
   */
  void copyTo(FileChannel target, long position, ByteBuffer buffer) throws IOException {
    long size = file.size();
    CRC32 crc = new CRC32();
    long done = 0;
    try (FileChannel in = FileChannel.open(sourceFile, StandardOpenOption.READ)) {
      while (done < size) {
        buffer.clear().limit((int) Math.min(buffer.capacity(), size - done));
        if (in.read(buffer, done) < 0) {
          break;
        }
        buffer.flip();
        crc.update(buffer);
        buffer.rewind();
        while (buffer.hasRemaining()) {
          done += target.write(buffer, position + done);
        }
      }
      if (done < size || crc.getValue() != crc32) {
        throw changed("other bytes, CRC-32 " + Long.toHexString(crc.getValue()) + " (" + done + " bytes)");
      }
      if (in.size() > size) {
        throw changed("more bytes");
      }
    } catch (NoSuchFileException e) {
      throw new NotFoundException("'" + file.path() + "' cannot be read: " + origin + " is gone" + remedy, e);
    }
  }

  private InputStream openSource() throws IOException {
    try {
      return source.openStream();
    } catch (NoSuchFileException e) {
      throw new NotFoundException("'" + file.path() + "' cannot be read: " + origin + " is gone" + remedy, e);
    }
  }

  private IntegrityException changed(String found) {
    return new IntegrityException(
        "'" + file.path() + "': expected " + file.sha256() + " (" + file.size() + " bytes) but " + origin + " now holds "
            + found + remedy);
  }

  /** Passes the bytes on while hashing them (SHA-256, or CRC-32 alone), and judges them before reporting the end. */
  private final class VerifyingStream extends FilterInputStream {
    private final MessageDigest sha256;
    private final CRC32 crc = new CRC32();
    private long count;
    private boolean judged;

    VerifyingStream(InputStream in, boolean strong) {
      super(in);
      this.sha256 = strong ? Checksums.newSha256() : null;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        judge();
      } else {
        seen(new byte[] {(byte) b}, 0, 1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0) {
        judge();
      } else {
        seen(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes must still be hashed, or the end could not be judged.
      byte[] scratch = new byte[(int) Math.min(n, Checksums.BUFFER_SIZE)];
      int read = n <= 0 ? 0 : read(scratch, 0, scratch.length);
      return Math.max(read, 0);
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    @Override
    public synchronized void mark(int readlimit) {}

    @Override
    public synchronized void reset() throws IOException {
      throw new IOException("mark/reset is not supported by a verified package entry");
    }

    private void seen(byte[] b, int off, int n) {
      if (count + n > file.size()) {
        throw changed("more bytes");
      }
      if (sha256 != null) {
        sha256.update(b, off, n);
      } else {
        crc.update(b, off, n);
      }
      count += n;
    }

    private void judge() {
      if (judged) {
        return;
      }
      judged = true;
      if (sha256 == null) {
        if (count != file.size() || crc.getValue() != crc32) {
          throw changed("other bytes, CRC-32 " + Long.toHexString(crc.getValue()) + " (" + count + " bytes)");
        }
        return;
      }
      Digest actual = Checksums.digest(sha256);
      if (count != file.size() || !actual.equals(file.sha256())) {
        throw changed(actual + " (" + count + " bytes)");
      }
    }
  }
}
