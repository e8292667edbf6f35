package dev.mlops.packaging;

import dev.mlops.core.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The SHA-256, CRC-32 and length of a run of bytes, taken in one pass: the manifest lists the
 * first and the last, the zip records the CRC-32 before an entry's data.
 */
final class Checksums {
  /** The size of the buffer bytes are streamed through: large enough to amortise each read, small enough to stay off G1's humongous regions. */
  static final int BUFFER_SIZE = 256 << 10;

  private final MessageDigest sha256 = newSha256();
  private final CRC32 crc32 = new CRC32();
  private long size;

  /** The checksums of these bytes. */
  static Checksums of(byte[] bytes) {
    Checksums sums = new Checksums();
    sums.update(bytes, 0, bytes.length);
    return sums;
  }

  /**
   * The checksums of everything from the channel's position on, read through {@code buffer}; the
   * channel is not closed. A direct buffer spares each read a copy through the heap.
   */
  static Checksums of(ReadableByteChannel in, ByteBuffer buffer) throws IOException {
    Checksums sums = new Checksums();
    while (in.read(buffer.clear()) >= 0) {
      buffer.flip();
      sums.crc32.update(buffer);
      buffer.rewind();
      sums.sha256.update(buffer);
      sums.size += buffer.limit();
    }
    return sums;
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /** The digest in the form the manifest records. */
  static Digest digest(MessageDigest sha256) {
    return new Digest(HexFormat.of().formatHex(sha256.digest()));
  }

  void update(byte[] bytes, int offset, int length) {
    sha256.update(bytes, offset, length);
    crc32.update(bytes, offset, length);
    size += length;
  }

  /** The number of bytes seen so far. */
  long size() {
    return size;
  }

  long crc32() {
    return crc32.getValue();
  }

  /** The SHA-256 of the bytes seen; call once, at the end. */
  Digest sha256() {
    return digest(sha256);
  }

  /** The manifest's record of these bytes at this path; call once, at the end. */
  PackageFile file(String path) {
    return new PackageFile(path, sha256(), size);
  }
}
