package dev.mlops.packaging;

import com.google.common.collect.ImmutableList;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The directory of a package file, read and judged before any entry's content is touched. A
 * package is written in exactly one layout ({@link CanonicalZip}), so the reader demands it: the
 * end record is the file's last 22 bytes and declares no comment; the central directory runs from
 * the end of the last entry to the end record; every central record and every local header is
 * the one the writer would produce for that entry's name, CRC-32, size and offset, field for
 * field; the entries lie back to back from the first byte. No byte of the file is left to
 * interpretation, so any tool that reads the zip (by its directory or by its local headers) sees
 * the entries that were judged here, and a changed byte anywhere is refused.
 *
 * <p>The limits are checked in the order that keeps allocation bounded: the file's size, then the
 * end record's entry count and directory size (before the directory is read), then each entry's
 * name and declared size (before any content is read).
 */
final class ZipDirectory {
  /** One entry as the directory declares it, with where its bytes start. */
  record Entry(String name, long crc, long size, long dataOffset) {}

  private static final long MAGIC32 = 0xFFFFFFFFL;
  private static final int MAGIC16 = 0xFFFF;
  private static final int FLAG_ENCRYPTED = 1;
  private static final int HOST_UNIX = 3;
  private static final int TYPE_MASK = 0170000;
  private static final int TYPE_LINK = 0120000;
  private static final int TYPE_FILE = 0100000;
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

  private ZipDirectory() {}

  /**
   * Reads and judges the directory of a package file.
   *
   * @throws InvalidInputException for an unsafe entry or a package over the limits
   * @throws IntegrityException when the file is not a complete package zip in its canonical layout
   */
  static List<Entry> read(PackageData data, LoadOptions options) {
    String file = data.label();
    long fileSize = data.size();
    if (fileSize > options.maxBytes()) {
      throw new InvalidInputException(
          "'" + file + "' has " + fileSize + " bytes, more than the limit of " + options.maxBytes()
              + "; raise LoadOptions.maxBytes if the package is trusted");
    }
    if (fileSize < CanonicalZip.END_RECORD) {
      throw new IntegrityException(
          "'" + file + "' is not a complete zip file (" + fileSize + " bytes, no end record); it was truncated or is not a model package");
    }
    ByteBuffer end = le(data.read(fileSize - CanonicalZip.END_RECORD, CanonicalZip.END_RECORD));
    if (end.getInt(0) != CanonicalZip.END_SIGNATURE) {
      throw new IntegrityException(
          "'" + file + "' does not end with a zip end record: it was truncated, or has a zip comment or bytes after its"
              + " directory, which a model package never has");
    }
    int count = u16(end, 10);
    long directorySize = u32(end, 12);
    long directoryOffset = u32(end, 16);
    if (count > options.maxEntries()) {
      throw new InvalidInputException(
          "'" + file + "' holds " + count + " entries, more than the limit of " + options.maxEntries()
              + "; it may be a zip bomb. Raise LoadOptions.maxEntries if the package is trusted");
    }
    if (count == MAGIC16 || directorySize == MAGIC32 || directoryOffset == MAGIC32) {
      throw new InvalidInputException(
          "'" + file + "' uses ZIP64 records, which a model package never has (it holds at most 65534 entries and 4 GiB);"
              + " the package is refused");
    }
    long directoryEnd = fileSize - CanonicalZip.END_RECORD;
    if (directoryOffset + directorySize != directoryEnd
        || directorySize > (long) count * (CanonicalZip.CENTRAL_HEADER + CanonicalZip.MAX_NAME_BYTES)) {
      throw new IntegrityException(
          "'" + file + "' declares a central directory of " + directorySize + " bytes at byte " + directoryOffset
              + ", but a package's directory holds its " + count + " records and ends where the end record starts, at byte "
              + directoryEnd + "; the file was changed or is not a model package");
    }
    String field = CanonicalZip.differingEndField(
        CanonicalZip.endRecord(count, directorySize, directoryOffset), end.array());
    if (field != null) {
      throw new IntegrityException("'" + file + "': the end record's " + field + " is not that of a model package; the file was changed");
    }
    byte[] directory = data.read(directoryOffset, (int) directorySize);
    List<Entry> entries = parseEntries(directory, file, count, directoryOffset, options);
    checkLocalHeaders(data, file, entries);
    return entries;
  }

  private static List<Entry> parseEntries(byte[] bytes, String file, int count, long directoryOffset, LoadOptions options) {
    ByteBuffer cen = le(bytes);
    List<Entry> entries = new ArrayList<>();
    Map<String, String> folded = new HashMap<>();
    long declaredBytes = 0;
    long position = 0;
    int pos = 0;
    String previous = null;
    for (int n = 0; n < count; n++) {
      if (pos + CanonicalZip.CENTRAL_HEADER > cen.limit() || cen.getInt(pos) != CanonicalZip.CENTRAL_SIGNATURE) {
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
      if (nameLength > CanonicalZip.MAX_NAME_BYTES) {
        throw new InvalidInputException(
            "'" + file + "': entry " + n + " has a name of " + nameLength + " bytes; package entry names have at most "
                + CanonicalZip.MAX_NAME_BYTES);
      }
      int end = pos + CanonicalZip.CENTRAL_HEADER + nameLength + extraLength + commentLength;
      if (end > cen.limit()) {
        throw new IntegrityException("'" + file + "' has a broken central directory at entry " + n);
      }
      byte[] rawName = Arrays.copyOfRange(bytes, pos + CanonicalZip.CENTRAL_HEADER, pos + CanonicalZip.CENTRAL_HEADER + nameLength);
      String name = decodeName(rawName, file);
      checkName(name, file);
      String clash = folded.putIfAbsent(fold(name), name);
      if (clash != null) {
        throw new InvalidInputException(clash.equals(name)
            ? "'" + file + "' holds the entry '" + name + "' twice; a package names every file once"
            : "'" + file + "' holds the entries '" + clash + "' and '" + name + "', which differ only in letter case or"
                + " Unicode normalisation and would overwrite each other when extracted; the package is refused");
      }
      checkType(name, madeBy, external, file);
      if ((flags & FLAG_ENCRYPTED) != 0) {
        throw new InvalidInputException("'" + file + "': entry '" + name + "' is encrypted; packages are not");
      }
      if (size == MAGIC32 || compressed == MAGIC32 || localOffset == MAGIC32) {
        throw new InvalidInputException(
            "'" + file + "': entry '" + name + "' uses ZIP64 sizes or offsets, which a model package never has; the package is refused");
      }
      if (method != CanonicalZip.STORED) {
        throw new InvalidInputException(
            "'" + file + "': entry '" + name + "' uses compression method " + method
                + "; model package entries are stored uncompressed, so the package is refused");
      }
      if (size > options.maxBytes() || (declaredBytes += size) > options.maxBytes()) {
        throw new InvalidInputException(
            "'" + file + "': entry '" + name + "' declares " + size + " bytes, which takes the package over the limit of "
                + options.maxBytes() + " bytes; it may be a zip bomb. Raise LoadOptions.maxBytes if the package is trusted");
      }
      checkOrder(file, n, name, previous);
      previous = name;
      byte[] expected = CanonicalZip.centralHeader(rawName, crc, size, position);
      String differs = CanonicalZip.differingCentralField(expected, Arrays.copyOfRange(bytes, pos, end));
      if (differs != null) {
        throw new IntegrityException(differs.equals("local header offset")
            ? "'" + file + "': entry '" + name + "' does not start where the previous entry ends (byte " + position
                + "); a package has no bytes between or before its entries, so the file was changed"
            : "'" + file + "': entry '" + name + "' has a central directory " + differs
                + " that a model package never has; the file was changed or was not written by this library");
      }
      long dataOffset = position + CanonicalZip.LOCAL_HEADER + nameLength;
      position = dataOffset + size;
      if (position > directoryOffset) {
        throw new IntegrityException(
            "'" + file + "': entry '" + name + "' declares " + size + " bytes, which run past the start of the directory at byte "
                + directoryOffset + "; the file was changed or truncated");
      }
      entries.add(new Entry(name, crc, size, dataOffset));
      pos = end;
    }
    if (pos != bytes.length || position != directoryOffset) {
      throw new IntegrityException(
          "'" + file + "' holds bytes that belong to no entry (" + (directoryOffset - position) + " before the directory, "
              + (bytes.length - pos) + " at its end); a package has none, so the file was changed");
    }
    return ImmutableList.copyOf(entries);
  }

  /** The manifest first, the other entries in ascending order, as the writer puts them. */
  private static void checkOrder(String file, int n, String name, String previous) {
    boolean manifest = name.equals(PackageManifest.PATH);
    boolean inOrder = manifest ? n == 0 : previous == null || previous.equals(PackageManifest.PATH) || previous.compareTo(name) < 0;
    if (!inOrder) {
      throw new IntegrityException(
          "'" + file + "': entry '" + name + "' is out of order; a package holds " + PackageManifest.PATH
              + " first and its other entries sorted by name, so the file was changed");
    }
  }

  /**
   * Checks that each entry's local header is the one its central record implies: a tool that
   * extracts by local headers must not find a name, size, CRC or method that was never judged.
   */
  private static void checkLocalHeaders(PackageData data, String file, List<Entry> entries) {
    for (Entry e : entries) {
      byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
      long at = e.dataOffset() - CanonicalZip.LOCAL_HEADER - name.length;
      byte[] expected = CanonicalZip.localHeader(name, e.crc(), e.size());
      String field = CanonicalZip.differingLocalField(expected, data.read(at, expected.length));
      if (field == null) {
        continue;
      }
      if (field.equals("name") || field.equals("name length")) {
        throw new InvalidInputException(
            "'" + file + "': entry '" + e.name() + "' has a local header that names another file; the package is refused");
      }
      throw new IntegrityException(
          "'" + file + "': entry '" + e.name() + "' has a local header whose " + field
              + " differs from its central directory record; the file was changed");
    }
  }

  private static String decodeName(byte[] raw, String file) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("'" + file + "' has an entry name that is not UTF-8; the package is refused");
    }
  }

  /**
   * The form under which two names would land on the same file of a case-insensitive or
   * normalising file system: compatibility-composed and case-folded.
   */
  static String fold(String name) {
    String composed = Normalizer.normalize(name, Normalizer.Form.NFKC);
    return Normalizer.normalize(composed.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFKC);
  }

  /**
   * Why a name is unsafe, if it is: names that could reach outside a folder they were extracted
   * to, or that show differently from what they are — absolute, drive-letter, backslash, empty,
   * {@code .} and {@code ..} segments, C0 and C1 control characters, line separators and
   * invisible format characters such as bidirectional overrides — and directories.
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
    Optional<String> hidden = name.codePoints().mapToObj(ZipDirectory::hiddenCharacter).flatMap(Optional::stream).findFirst();
    if (hidden.isPresent()) {
      return hidden;
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

  private static Optional<String> hiddenCharacter(int c) {
    String code = String.format("U+%04X", c);
    return switch (Character.getType(c)) {
      case Character.CONTROL -> Optional.of("contains a control character (" + code + ")");
      case Character.FORMAT -> Optional.of("contains an invisible format character such as a bidirectional override (" + code + ")");
      case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> Optional.of("contains a line separator (" + code + ")");
      case Character.SURROGATE -> Optional.of("contains a lone surrogate (" + code + ")");
      default -> Optional.empty();
    };
  }

  private static void checkName(String name, String file) {
    unsafe(name).ifPresent(why -> {
      throw new InvalidInputException("'" + file + "': unsafe entry name '" + printable(name) + "' " + why + "; the package is refused");
    });
  }

  /** The name with control and format characters escaped, so that a message cannot be reordered or split by them. */
  private static String printable(String name) {
    StringBuilder b = new StringBuilder();
    name.codePoints().forEach(c -> {
      if (hiddenCharacter(c).isPresent()) {
        b.append(String.format("\\u%04X", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  private static void checkType(String name, int madeBy, long external, String file) {
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

  private static ByteBuffer le(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static int u16(ByteBuffer b, int at) {
    return Short.toUnsignedInt(b.getShort(at));
  }

  private static long u32(ByteBuffer b, int at) {
    return Integer.toUnsignedLong(b.getInt(at));
  }
}
