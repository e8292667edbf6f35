package dev.mlops.packaging;

import dev.mlops.core.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes a package's entries in the one layout of {@link CanonicalZip}, whose bytes depend on
 * nothing but the entries: the manifest first, then the other entries sorted by path; every
 * entry stored uncompressed (so no compressor version can change the bytes) with the same entry
 * time and no extra fields, so neither the clock, the time zone nor the platform shows in the
 * file.
 *
 * <p>Entries are streamed from their sources through one buffer, never held whole: a stored
 * entry's size and CRC-32 go before its data, and they are known from when the entry was hashed.
 * On the way each source is checked against that size and CRC-32 (not hashed again: the reader
 * verifies every SHA-256), so a source that changed since is refused; written to a file, artifact
 * files are read once each and their CRC-32 taken from the bytes written ({@link ChannelOutput}).
 */
final class PackageZip {
  private PackageZip() {}

  /**
   * Writes the zip to {@code out}, which is left open.
   *
   * @throws dev.mlops.core.IntegrityException naming the entry whose source changed since it was hashed
   * @throws InvalidInputException if the package is beyond the format's 4 GiB or 65534 entries
   */
  static void write(OutputStream out, PackageEntry manifest, Collection<PackageEntry> entries) throws IOException {
    List<PackageEntry> all = new ArrayList<>(entries.size() + 1);
    all.add(manifest);
    all.addAll(entries);
    if (all.size() >= CanonicalZip.MAX_ENTRIES) {
      throw new InvalidInputException(
          "a package holds at most " + (CanonicalZip.MAX_ENTRIES - 1) + " files; this one has " + all.size()
              + ", so bundle the artifacts into fewer files");
    }
    byte[] buffer = new byte[Checksums.BUFFER_SIZE];
    ByteArrayOutputStream directory = new ByteArrayOutputStream();
    long offset = 0;
    for (PackageEntry e : all) {
      byte[] name = e.path().getBytes(StandardCharsets.UTF_8);
      long size = e.file().size();
      checkFits(offset + CanonicalZip.LOCAL_HEADER + name.length + size + CanonicalZip.CENTRAL_HEADER + name.length);
      directory.writeBytes(CanonicalZip.centralHeader(name, e.crc32(), size, offset));
      out.write(CanonicalZip.localHeader(name, e.crc32(), size));
      e.copyTo(out, buffer);
      offset += CanonicalZip.LOCAL_HEADER + name.length + size;
    }
    checkFits(offset + directory.size());
    directory.writeTo(out);
    out.write(CanonicalZip.endRecord(all.size(), directory.size(), offset));
  }

  private static void checkFits(long bytes) {
    if (bytes > CanonicalZip.MAX_OFFSET) {
      throw new InvalidInputException(
          "a package holds less than 4 GiB in all; this one would reach " + bytes + " bytes, so keep the largest artifacts"
              + " outside it and record where they are in the metadata");
    }
  }

  /** The zip's bytes, written to memory; for packages small enough to hold. */
  static byte[] toBytes(PackageEntry manifest, Collection<PackageEntry> entries) {
    long size = CanonicalZip.END_RECORD + sizeOf(manifest);
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
    return CanonicalZip.LOCAL_HEADER + CanonicalZip.CENTRAL_HEADER + 2L * e.path().getBytes(StandardCharsets.UTF_8).length
        + e.file().size();
  }
}
