package dev.mlops.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a package's entries as a zip whose bytes depend on nothing but the entries: the
 * manifest first, then the other entries sorted by path; every entry stored uncompressed (so no
 * compressor version can change the bytes) with the same local time and no extra fields, so
 * neither the clock, the time zone nor the platform shows in the file.
 */
final class PackageZip {
  // A local date-time is written as is, so the time zone does not enter the file.
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

  private PackageZip() {}

  static byte[] write(byte[] manifest, SortedMap<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      put(zip, PackageManifest.PATH, manifest);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        put(zip, e.getKey(), e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the package in memory", e);
    }
    return bytes.toByteArray();
  }

  private static void put(ZipOutputStream zip, String path, byte[] content) throws IOException {
    ZipEntry entry = new ZipEntry(path);
    entry.setMethod(ZipEntry.STORED);
    entry.setTimeLocal(ENTRY_TIME);
    entry.setSize(content.length);
    entry.setCompressedSize(content.length);
    CRC32 crc = new CRC32();
    crc.update(content);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(content);
    zip.closeEntry();
  }
}
