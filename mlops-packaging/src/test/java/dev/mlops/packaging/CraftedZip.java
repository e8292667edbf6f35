package dev.mlops.packaging;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes zip files byte by byte in the package's canonical layout, so that tests can craft what
 * no zip library writes: duplicate names, link entries, sizes that lie, a wrong entry count,
 * deflated data whose declared size is far beyond its own.
 */
final class CraftedZip {
  private record Entry(String name, int method, long crc, long size, int externalAttributes, long declaredSize, long offset) {}

  private static final int DEFLATED = 8;

  private String localNameOverride;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final List<Entry> entries = new ArrayList<>();

  /** Makes the next entry's local header carry this name while the directory carries the real one. */
  CraftedZip localName(String name) {
    localNameOverride = name;
    return this;
  }

  /** Adds a stored file as a package holds it (no Unix mode). */
  CraftedZip file(String name, byte[] data) {
    return entry(name, data, 0, data.length);
  }

  /** Adds a stored Unix symbolic link whose content is its target. */
  CraftedZip link(String name, String target) {
    return entry(name, target.getBytes(StandardCharsets.UTF_8), 0120777 << 16, target.length());
  }

  /** Adds an entry that declares {@code declaredSize} bytes (ZIP64 when over 4 GiB) but holds {@code data}. */
  CraftedZip entry(String name, byte[] data, int externalAttributes, long declaredSize) {
    return add(name, 0, data, crc(data), data.length, externalAttributes, declaredSize);
  }

  /** Adds a deflated entry: {@code compressed} is a raw deflate stream of {@code size} bytes with this CRC-32. */
  CraftedZip deflated(String name, byte[] compressed, long crc, long size) {
    return add(name, DEFLATED, compressed, crc, size, 0, size);
  }

  private CraftedZip add(String name, int method, byte[] data, long crc, long size, int externalAttributes, long declaredSize) {
    long offset = out.size();
    byte[] n = (localNameOverride == null ? name : localNameOverride).getBytes(StandardCharsets.UTF_8);
    localNameOverride = null;
    ByteBuffer h = le(30 + n.length);
    h.putInt(0x04034b50).putShort((short) CanonicalZip.VERSION).putShort((short) CanonicalZip.FLAGS).putShort((short) method)
        .putShort((short) CanonicalZip.DOS_TIME).putShort((short) CanonicalZip.DOS_DATE).putInt((int) crc)
        .putInt(data.length).putInt((int) size).putShort((short) n.length).putShort((short) 0).put(n);
    out.writeBytes(h.array());
    out.writeBytes(data);
    entries.add(new Entry(name, method, crc, data.length, externalAttributes, declaredSize, offset));
    return this;
  }

  /** The zip's bytes, the directory declaring {@code declaredCount} entries (normally the real count). */
  byte[] bytes(int declaredCount) {
    long cenOffset = out.size();
    ByteArrayOutputStream cen = new ByteArrayOutputStream();
    for (Entry e : entries) {
      byte[] n = e.name.getBytes(StandardCharsets.UTF_8);
      boolean zip64 = e.declaredSize >= 0xFFFFFFFFL;
      int extra = zip64 ? 12 : 0;
      ByteBuffer c = le(46 + n.length + extra);
      int madeBy = e.externalAttributes == 0 ? CanonicalZip.VERSION : (3 << 8) | CanonicalZip.VERSION;
      c.putInt(0x02014b50).putShort((short) madeBy).putShort((short) CanonicalZip.VERSION).putShort((short) CanonicalZip.FLAGS)
          .putShort((short) e.method).putShort((short) CanonicalZip.DOS_TIME).putShort((short) CanonicalZip.DOS_DATE).putInt((int) e.crc)
          .putInt((int) e.size).putInt(zip64 ? -1 : (int) e.declaredSize)
          .putShort((short) n.length).putShort((short) extra).putShort((short) 0)
          .putShort((short) 0).putShort((short) 0).putInt(e.externalAttributes).putInt((int) e.offset).put(n);
      if (zip64) {
        c.putShort((short) 1).putShort((short) 8).putLong(e.declaredSize);
      }
      cen.writeBytes(c.array());
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(out.toByteArray());
    all.writeBytes(cen.toByteArray());
    ByteBuffer end = le(22);
    end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) declaredCount)
        .putShort((short) declaredCount).putInt(cen.size()).putInt((int) cenOffset).putShort((short) 0);
    all.writeBytes(end.array());
    return all.toByteArray();
  }

  byte[] bytes() {
    return bytes(entries.size());
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  static long crc(byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(data);
    return crc.getValue();
  }
}
