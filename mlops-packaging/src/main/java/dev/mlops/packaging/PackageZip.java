package dev.mlops.packaging;

import dev.mlops.core.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a package's entries as a zip whose bytes depend on nothing but the entries: the
 * manifest first, then the other entries sorted by path; every entry stored uncompressed (so no
 * compressor version can change the bytes) with the same local time and no extra fields, so
 * neither the clock, the time zone nor the platform shows in the file.
 *
 * <p>Entries are streamed from their sources through one buffer, never held whole: a stored
 * entry's size and CRC-32 go before its data, and they are known from when the entry was hashed.
 */
final class PackageZip {
  // A local date-time is written as is, so the time zone does not enter the file.
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);
  // Local header and central directory record with the name twice, and the end record.
  private static final int OVERHEAD_PER_ENTRY = 30 + 46;
  private static final int END_RECORD = 22;

  private PackageZip() {}

  /**
   * Writes the zip to {@code out}, which is left open.
   *
   * @throws dev.mlops.core.IntegrityException naming the entry whose source changed since it was hashed
   */
  static void write(OutputStream out, PackageEntry manifest, Collection<PackageEntry> entries) throws IOException {
    byte[] buffer = new byte[Checksums.BUFFER_SIZE];
    ZipOutputStream zip = new ZipOutputStream(out);
    put(zip, manifest, buffer);
    for (PackageEntry e : entries) {
      put(zip, e, buffer);
    }
    zip.finish();
  }

  /** The zip's bytes, written to memory; for packages small enough to hold. */
  static byte[] toBytes(PackageEntry manifest, Collection<PackageEntry> entries) {
    long size = END_RECORD + sizeOf(manifest);
    for (PackageEntry e : entries) {
      size += sizeOf(e);
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new InvalidInputException(
          "a package of " + size + " bytes does not fit in a byte array; write it to a file with writeTo(Path)");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) size);
    try {
      write(bytes, manifest, entries);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the package in memory", e);
    }
    return bytes.toByteArray();
  }

  private static long sizeOf(PackageEntry e) {
    return OVERHEAD_PER_ENTRY + 2L * e.path().length() * 3 + e.file().size();
  }

  private static void put(ZipOutputStream zip, PackageEntry content, byte[] buffer) throws IOException {
    ZipEntry entry = new ZipEntry(content.path());
    entry.setMethod(ZipEntry.STORED);
    entry.setTimeLocal(ENTRY_TIME);
    entry.setSize(content.file().size());
    entry.setCompressedSize(content.file().size());
    entry.setCrc(content.crc32());
    zip.putNextEntry(entry);
    try (InputStream in = content.open()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        zip.write(buffer, 0, n);
      }
    }
    zip.closeEntry();
  }
}
