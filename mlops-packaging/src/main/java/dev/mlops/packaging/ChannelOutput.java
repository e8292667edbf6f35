package dev.mlops.packaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The file a package is written to: headers and small entries go through a buffer, and artifact
 * files are copied by the kernel ({@link FileChannel#transferTo}), as {@code Files.copy} does,
 * then read back from the page cache into a direct buffer to check their CRC-32. The bytes
 * checked are the bytes written, and none of them is copied through the heap.
 */
final class ChannelOutput extends OutputStream {
  // Large enough that the disk sees few, big writes.
  private static final int BUFFER_SIZE = 1 << 20;

  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
  private final ByteBuffer readBack = ByteBuffer.allocateDirect(Checksums.BUFFER_SIZE);
  private long position;

  private ChannelOutput(FileChannel channel) {
    this.channel = channel;
  }

  /** Opens an existing (empty) file for writing the package into. */
  static ChannelOutput open(Path file) throws IOException {
    return new ChannelOutput(FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING));
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len >= buffer.capacity()) {
      flush();
      writeFully(ByteBuffer.wrap(b, off, len));
      return;
    }
    if (len > buffer.remaining()) {
      flush();
    }
    buffer.put(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    buffer.flip();
    writeFully(buffer);
    buffer.clear();
  }

  private void writeFully(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      position += channel.write(bytes);
    }
  }

  /**
   * Appends up to {@code size} bytes of {@code source}, copied by the kernel, and returns how many
   * it held and their CRC-32, read back from what was written.
   */
  Copied copyFile(Path source, long size) throws IOException {
    flush();
    long start = position;
    long done = 0;
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      while (done < size) {
        long n = in.transferTo(done, size - done, channel);
        if (n <= 0) {
          break;
        }
        done += n;
      }
    }
    position += done;
    channel.position(position);
    // Read back into a direct buffer, one copy from the page cache; a mapping would pin the file's
    // pages until the garbage collector released it, long after the file was moved or replaced.
    CRC32 crc = new CRC32();
    for (long at = start; at < start + done; ) {
      readBack.clear().limit((int) Math.min(readBack.capacity(), start + done - at));
      int n = channel.read(readBack, at);
      if (n < 0) {
        break;
      }
      readBack.flip();
      crc.update(readBack);
      at += n;
    }
    return new Copied(done, crc.getValue());
  }

  /** What {@link #copyFile} wrote. */
  record Copied(long size, long crc32) {}

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      channel.close();
    }
  }
}
