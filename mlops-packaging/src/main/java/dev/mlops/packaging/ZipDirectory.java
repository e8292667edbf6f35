package dev.mlops.packaging;

import com.google.common.collect.ImmutableList;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The central directory of a zip file, read and judged before any entry's content is touched.
 * {@link java.util.zip.ZipFile} hides the fields that tell a link from a file and reads the
 * whole directory before one can count it, so the fixed-layout directory records are read here
 * first: the end record's entry count is checked before the directory is read, and every
 * entry's name, type, method and declared size before any content is.
 */
final class ZipDirectory {
  /** One entry as the central directory declares it. */
  record Entry(String name, int method, long compressedSize, long size, long crc, long localHeaderOffset) {}

  private static final int EOCD_SIGNATURE = 0x06054b50;
  private static final int EOCD_SIZE = 22;
  private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
  private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
  private static final int CEN_SIGNATURE = 0x02014b50;
  private static final int CEN_SIZE = 46;
  private static final int LOC_SIGNATURE = 0x04034b50;
  private static final int LOC_SIZE = 30;
  private static final int MAX_COMMENT = 0xFFFF;
  private static final long MAGIC32 = 0xFFFFFFFFL;
  private static final int MAGIC16 = 0xFFFF;
  private static final int ZIP64_EXTRA = 0x0001;
  private static final int FLAG_ENCRYPTED = 1;
  private static final int FLAG_UTF8 = 1 << 11;
  private static final int HOST_UNIX = 3;
  private static final int TYPE_MASK = 0170000;
  private static final int TYPE_LINK = 0120000;
  private static final int TYPE_FILE = 0100000;
  private static final int STORED = 0;
  private static final int DEFLATED = 8;
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

  private ZipDirectory() {}

  /**
   * Reads and judges the central directory of {@code file}.
   *
   * @throws InvalidInputException for an unsafe entry or a package over the limits
   * @throws IntegrityException when the file is not a complete zip
   */
  static List<Entry> read(Path file, LoadOptions options) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      if (fileSize > options.maxBytes()) {
        throw new InvalidInputException(
            "'" + file + "' has " + fileSize + " bytes, more than the limit of " + options.maxBytes()
                + "; raise LoadOptions.maxBytes if the package is trusted");
      }
      return readDirectory(ch, file, fileSize, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + file + "'", e);
    }
  }

  private static List<Entry> readDirectory(FileChannel ch, Path file, long fileSize, LoadOptions options)
      throws IOException {
    int tailLength = (int) Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
    ByteBuffer tail = readAt(ch, fileSize - tailLength, tailLength);
    int eocd = -1;
    for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
      if (tail.getInt(i) == EOCD_SIGNATURE && i + EOCD_SIZE + u16(tail, i + 20) == tailLength) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      throw new IntegrityException(
          "'" + file + "' is not a complete zip file (no end-of-central-directory record); it was truncated or is not a model package");
    }
    long total = u16(tail, eocd + 10);
    long cenSize = u32(tail, eocd + 12);
    long cenOffset = u32(tail, eocd + 16);
    long eocdPosition = fileSize - tailLength + eocd;
    if (total == MAGIC16 || cenSize == MAGIC32 || cenOffset == MAGIC32) {
      long[] zip64 = readZip64End(ch, file, eocdPosition);
      total = zip64[0];
      cenSize = zip64[1];
      cenOffset = zip64[2];
    }
    if (total > options.maxEntries()) {
      throw new InvalidInputException(
          "'" + file + "' holds " + total + " entries, more than the limit of " + options.maxEntries()
              + "; it may be a zip bomb. Raise LoadOptions.maxEntries if the package is trusted");
    }
    if (cenOffset < 0 || cenSize < 0 || cenOffset + cenSize > eocdPosition
        || cenSize > total * (CEN_SIZE + 3L * MAGIC16)) {
      throw new IntegrityException(
          "'" + file + "' has a central directory outside the file (offset " + cenOffset + ", size " + cenSize + ")");
    }
    ByteBuffer cen = readAt(ch, cenOffset, (int) cenSize);
    List<Entry> entries = parseEntries(cen, file, (int) total, options);
    checkLocalHeaders(ch, file, entries, cenOffset);
    return entries;
  }

  private static long[] readZip64End(FileChannel ch, Path file, long eocdPosition) throws IOException {
    if (eocdPosition < 20) {
      throw new IntegrityException("'" + file + "' declares a ZIP64 directory but has no ZIP64 locator");
    }
    ByteBuffer locator = readAt(ch, eocdPosition - 20, 20);
    if (locator.getInt(0) != ZIP64_LOCATOR_SIGNATURE) {
      throw new IntegrityException("'" + file + "' declares a ZIP64 directory but has no ZIP64 locator");
    }
    long at = locator.getLong(8);
    if (at < 0 || at + 56 > eocdPosition) {
      throw new IntegrityException("'" + file + "' has a ZIP64 end record outside the file");
    }
    ByteBuffer end = readAt(ch, at, 56);
    if (end.getInt(0) != ZIP64_EOCD_SIGNATURE) {
      throw new IntegrityException("'" + file + "' has a broken ZIP64 end record");
    }
    return new long[] {end.getLong(32), end.getLong(40), end.getLong(48)};
  }

  private static List<Entry> parseEntries(ByteBuffer cen, Path file, int total, LoadOptions options) {
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    long declaredBytes = 0;
    int pos = 0;
    for (int n = 0; n < total; n++) {
      if (pos + CEN_SIZE > cen.limit() || cen.getInt(pos) != CEN_SIGNATURE) {
        throw new IntegrityException("'" + file + "' has a broken central directory at entry " + n);
      }
      int madeBy = u16(cen, pos + 4);
      int flags = u16(cen, pos + 8);
      int method = u16(cen, pos + 10);
      long crc = u32(cen, pos + 16);
      long compressed = u32(cen, pos + 20);
      long size = u32(cen, pos + 24);
      int nameLength = u16(cen, pos + 28);
      int extraLength = u16(cen, pos + 30);
      int commentLength = u16(cen, pos + 32);
      long external = u32(cen, pos + 38);
      long localOffset = u32(cen, pos + 42);
      int end = pos + CEN_SIZE + nameLength + extraLength + commentLength;
      if (end > cen.limit()) {
        throw new IntegrityException("'" + file + "' has a broken central directory at entry " + n);
      }
      String name = decodeName(cen, pos + CEN_SIZE, nameLength, (flags & FLAG_UTF8) != 0, file);
      if (size == MAGIC32 || compressed == MAGIC32 || localOffset == MAGIC32) {
        long[] values = zip64Values(cen, pos + CEN_SIZE + nameLength, extraLength, size, compressed, localOffset);
        size = values[0];
        compressed = values[1];
        localOffset = values[2];
      }
      checkName(name, file);
      if (!names.add(name)) {
        throw new InvalidInputException(
            "'" + file + "' holds the entry '" + name + "' twice; a package names every file once");
      }
      checkType(name, madeBy, external, file);
      if ((flags & FLAG_ENCRYPTED) != 0) {
        throw new InvalidInputException("'" + file + "': entry '" + name + "' is encrypted; packages are not");
      }
      if (method != STORED && method != DEFLATED) {
        throw new InvalidInputException(
            "'" + file + "': entry '" + name + "' uses compression method " + method + "; only stored and deflated entries are read");
      }
      if (size < 0 || size > options.maxBytes() || (declaredBytes += size) > options.maxBytes()) {
        throw new InvalidInputException(
            "'" + file + "': entry '" + name + "' declares " + Long.toUnsignedString(size)
                + " bytes, which takes the package over the limit of " + options.maxBytes()
                + " bytes; it may be a zip bomb. Raise LoadOptions.maxBytes if the package is trusted");
      }
      entries.add(new Entry(name, method, compressed, size, crc, localOffset));
      pos = end;
    }
    return ImmutableList.copyOf(entries);
  }

  /** The ZIP64 extra field's values for those of size, compressed size and offset that are 0xFFFFFFFF, in that order. */
  private static long[] zip64Values(ByteBuffer cen, int start, int length, long size, long compressed, long offset) {
    long[] values = {size, compressed, offset};
    int pos = start;
    while (pos + 4 <= start + length) {
      int id = u16(cen, pos);
      int dataLength = u16(cen, pos + 2);
      if (id == ZIP64_EXTRA) {
        int field = pos + 4;
        for (int i = 0; i < values.length; i++) {
          if (values[i] == MAGIC32 && field + 8 <= pos + 4 + dataLength) {
            values[i] = cen.getLong(field);
            field += 8;
          }
        }
        return values;
      }
      pos += 4 + dataLength;
    }
    return values;
  }

  /**
   * Checks that each entry's local header lies before the directory and names the entry as the
   * directory does: a tool that extracts by local headers must not find a name that was never judged.
   */
  private static void checkLocalHeaders(FileChannel ch, Path file, List<Entry> entries, long cenOffset) throws IOException {
    for (Entry e : entries) {
      long at = e.localHeaderOffset();
      if (at < 0 || at + LOC_SIZE > cenOffset) {
        throw new IntegrityException("'" + file + "': entry '" + e.name() + "' has its local header outside the file's data");
      }
      ByteBuffer header = readAt(ch, at, LOC_SIZE);
      int nameLength = u16(header, 26);
      byte[] expected = e.name().getBytes(StandardCharsets.UTF_8);
      boolean same = header.getInt(0) == LOC_SIGNATURE
          && nameLength == expected.length
          && at + LOC_SIZE + nameLength <= cenOffset
          && Arrays.equals(readAt(ch, at + LOC_SIZE, nameLength).array(), expected);
      if (!same) {
        throw new InvalidInputException(
            "'" + file + "': entry '" + e.name() + "' has a local header that names another file; the package is refused");
      }
    }
  }

  private static String decodeName(ByteBuffer cen, int at, int length, boolean utf8, Path file) {
    byte[] raw = new byte[length];
    cen.get(at, raw);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(
          "'" + file + "' has an entry name that is not UTF-8" + (utf8 ? "" : " (and is not flagged as UTF-8)"));
    }
  }

  /**
   * Why a name is unsafe, if it is: names that could reach outside a folder they were extracted
   * to, or that differ between platforms — absolute, drive-letter, backslash, empty, {@code .}
   * and {@code ..} segments, control characters — and directories.
   */
  static Optional<String> unsafe(String name) {
    if (name.isEmpty()) {
      return Optional.of("is empty");
    }
    if (name.startsWith("/") || DRIVE.matcher(name).matches()) {
      return Optional.of("is an absolute path");
    }
    if (name.indexOf('\\') >= 0) {
      return Optional.of("contains a backslash");
    }
    if (name.endsWith("/")) {
      return Optional.of("is a directory; packages hold files only");
    }
    if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.of("contains a control character");
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..")) {
        return Optional.of("climbs out of the package with '..'");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        return Optional.of("has an empty or '.' path segment");
      }
    }
    return Optional.empty();
  }

  private static void checkName(String name, Path file) {
    unsafe(name).ifPresent(why -> {
      throw new InvalidInputException("'" + file + "': unsafe entry name '" + name + "' " + why + "; the package is refused");
    });
  }

  private static void checkType(String name, int madeBy, long external, Path file) {
    if ((madeBy >>> 8) != HOST_UNIX) {
      return;
    }
    int type = (int) (external >>> 16) & TYPE_MASK;
    if (type == TYPE_LINK) {
      throw new InvalidInputException("'" + file + "': entry '" + name + "' is a symbolic link; the package is refused");
    }
    if (type != 0 && type != TYPE_FILE) {
      throw new InvalidInputException(
          "'" + file + "': entry '" + name + "' is not a regular file (mode " + Integer.toOctalString(type) + "); the package is refused");
    }
  }

  private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buf.hasRemaining()) {
      if (ch.read(buf, position + buf.position()) < 0) {
        throw new IntegrityException("unexpected end of file at byte " + (position + buf.position()));
      }
    }
    return buf.flip();
  }

  private static int u16(ByteBuffer b, int at) {
    return Short.toUnsignedInt(b.getShort(at));
  }

  private static long u32(ByteBuffer b, int at) {
    return Integer.toUnsignedLong(b.getInt(at));
  }
}
