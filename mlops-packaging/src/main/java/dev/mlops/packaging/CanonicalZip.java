package dev.mlops.packaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The one zip layout a package has, written by {@link PackageZip} and demanded by {@link
 * ZipDirectory}: for every entry in order a local header and the stored bytes, back to back from
 * the first byte of the file; then one central directory record per entry; then the end record,
 * which is the file's last 22 bytes. Every header field is fixed by the entry's name, CRC-32,
 * size and offset, so a reader can rebuild the expected headers and compare them byte for byte:
 * no compression, no data descriptors, no extra fields, no comments, no ZIP64 records, no Unix
 * mode bits, one entry time.
 */
final class CanonicalZip {
  static final int LOCAL_SIGNATURE = 0x04034b50;
  static final int CENTRAL_SIGNATURE = 0x02014b50;
  static final int END_SIGNATURE = 0x06054b50;
  static final int LOCAL_HEADER = 30;
  static final int CENTRAL_HEADER = 46;
  static final int END_RECORD = 22;
  /** "Version made by" and "needed to extract": 1.0, stored entries, MS-DOS attributes (so no Unix mode can make a link). */
  static final int VERSION = 10;
  /** Only bit 11: names are UTF-8. */
  static final int FLAGS = 1 << 11;
  static final int STORED = 0;
  /** 2000-01-01 00:00 in MS-DOS form, a local time with no zone, so neither clock nor zone enters the file. */
  static final int DOS_TIME = 0;
  static final int DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
  /** The most entries, bytes per entry and bytes before the directory that fit the format without ZIP64. */
  static final int MAX_ENTRIES = 0xFFFF;
  static final long MAX_OFFSET = 0xFFFFFFFEL;
  /** The longest entry name in UTF-8 bytes: an artifact key of 250 characters of up to four bytes, under {@code artifacts/}. */
  static final int MAX_NAME_BYTES = 1024;

  private CanonicalZip() {}

  /** The local header of an entry. */
  static byte[] localHeader(byte[] name, long crc, long size) {
    ByteBuffer b = le(LOCAL_HEADER + name.length);
    b.putInt(LOCAL_SIGNATURE).putShort((short) VERSION).putShort((short) FLAGS).putShort((short) STORED)
        .putShort((short) DOS_TIME).putShort((short) DOS_DATE).putInt((int) crc).putInt((int) size).putInt((int) size)
        .putShort((short) name.length).putShort((short) 0).put(name);
    return b.array();
  }

  /** The central directory record of an entry whose local header starts at {@code offset}. */
  static byte[] centralHeader(byte[] name, long crc, long size, long offset) {
    ByteBuffer b = le(CENTRAL_HEADER + name.length);
    b.putInt(CENTRAL_SIGNATURE).putShort((short) VERSION).putShort((short) VERSION).putShort((short) FLAGS)
        .putShort((short) STORED).putShort((short) DOS_TIME).putShort((short) DOS_DATE).putInt((int) crc)
        .putInt((int) size).putInt((int) size).putShort((short) name.length).putShort((short) 0).putShort((short) 0)
        .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offset).put(name);
    return b.array();
  }

  /** The end record of a directory of {@code count} entries. */
  static byte[] endRecord(int count, long directorySize, long directoryOffset) {
    ByteBuffer b = le(END_RECORD);
    b.putInt(END_SIGNATURE).putShort((short) 0).putShort((short) 0).putShort((short) count).putShort((short) count)
        .putInt((int) directorySize).putInt((int) directoryOffset).putShort((short) 0);
    return b.array();
  }

  /** The name of the first field of a local header in which {@code actual} differs from {@code expected}, or null. */
  static String differingLocalField(byte[] expected, byte[] actual) {
    return differing(expected, actual, LOCAL_FIELDS);
  }

  /** The name of the first field of a central record in which {@code actual} differs from {@code expected}, or null. */
  static String differingCentralField(byte[] expected, byte[] actual) {
    return differing(expected, actual, CENTRAL_FIELDS);
  }

  /** The name of the first field of an end record in which {@code actual} differs from {@code expected}, or null. */
  static String differingEndField(byte[] expected, byte[] actual) {
    return differing(expected, actual, END_FIELDS);
  }

  /** Field names and their end offsets; the last field, the name, runs to the end of the header. */
  private record Field(String name, int end) {}

  private static final Field[] LOCAL_FIELDS = {
    new Field("signature", 4), new Field("version needed", 6), new Field("flags", 8), new Field("method", 10),
    new Field("time", 12), new Field("date", 14), new Field("CRC-32", 18), new Field("compressed size", 22),
    new Field("size", 26), new Field("name length", 28), new Field("extra field length", 30), new Field("name", Integer.MAX_VALUE),
  };
  private static final Field[] CENTRAL_FIELDS = {
    new Field("signature", 4), new Field("version made by", 6), new Field("version needed", 8), new Field("flags", 10),
    new Field("method", 12), new Field("time", 14), new Field("date", 16), new Field("CRC-32", 20),
    new Field("compressed size", 24), new Field("size", 28), new Field("name length", 30),
    new Field("extra field length", 32), new Field("comment length", 34), new Field("disk number", 36),
    new Field("internal attributes", 38), new Field("external attributes", 42), new Field("local header offset", 46),
    new Field("name", Integer.MAX_VALUE),
  };
  private static final Field[] END_FIELDS = {
    new Field("signature", 4), new Field("disk number", 6), new Field("directory disk", 8),
    new Field("entries on this disk", 10), new Field("entries", 12), new Field("directory size", 16),
    new Field("directory offset", 20), new Field("comment length", 22),
  };

  private static String differing(byte[] expected, byte[] actual, Field[] fields) {
    int start = 0;
    for (Field f : fields) {
      int end = Math.min(f.end(), Math.max(expected.length, actual.length));
      for (int i = start; i < end; i++) {
        if (i >= expected.length || i >= actual.length || expected[i] != actual[i]) {
          return f.name();
        }
      }
      start = end;
    }
    return null;
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
