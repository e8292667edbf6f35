package dev.mlops.packaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file a package is written to: headers and small entries go through a buffer, and artifact
 * files are read once into a direct buffer, their CRC-32 taken from the bytes in it, and written
 * from it ({@link PackageEntry#copyTo(FileChannel, long, ByteBuffer)}): the bytes checked are the
 * bytes written, none of them is copied through the heap, and nothing is read twice. One thread
 * writes: a file system serialises writes to one file, so copies side by side only wait on each
 * other.
 */
final class ChannelOutput extends OutputStream {
  // Large enough that the disk sees few, big writes.
  private static final int BUFFER_SIZE = 1 << 20;

  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
  // Small enough to stay in the core's cache between the read, the CRC and the write.
  private final ByteBuffer direct = ByteBuffer.allocateDirect(Checksums.BUFFER_SIZE);
  private long position;

  private ChannelOutput(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Opens a new, empty file for writing the package into. It is not truncated: ext4 takes a
   * truncation to zero for a file being rewritten in place and starts the writeback of all of it
   * when it is closed, in the closing thread, a cost that {@code Files.copy} (which does not
   * truncate its new file) never pays.
   */
  static ChannelOutput open(Path file) throws IOException {
    return new ChannelOutput(FileChannel.open(file, StandardOpenOption.WRITE));
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
      position += channel.write(bytes, position);
    }
  }

  /** Appends the bytes of an artifact kept in its own file, checked as {@link PackageEntry#copyTo(FileChannel, long, ByteBuffer)} does. */
  void copy(PackageEntry entry) throws IOException {
    flush();
    entry.copyTo(channel, position, direct);
    position += entry.file().size();
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      channel.close();
    }
  }
}
