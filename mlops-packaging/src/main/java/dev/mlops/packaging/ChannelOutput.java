package dev.mlops.packaging;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The file a package is written to. Headers and small entries go through one buffer, in order;
 * the place of a large entry is left open ({@link #defer}) and filled once everything else is
 * written ({@link #finish}), the large entries side by side on the cores, each read once into a
 * direct buffer, its CRC-32 taken from the bytes in that buffer, then written from it at the
 * entry's offset. Every offset follows from the sizes recorded at build, so the bytes are those
 * of writing the entries one after another.
 */
final class ChannelOutput extends OutputStream {
  // Large enough that the disk sees few, big writes.
  private static final int BUFFER_SIZE = 1 << 20;
  /** Entries of at least this many bytes are deferred: copied into their places after the rest. */
  static final long LARGE_ENTRY = BUFFER_SIZE;

  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
  private final List<Deferred> deferred = new ArrayList<>();
  private long position;

  private ChannelOutput(FileChannel channel) {
    this.channel = channel;
  }

  /** Opens an existing (empty) file for writing the package into. */
  static ChannelOutput open(Path file) throws IOException {
    return new ChannelOutput(FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
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

  /** Leaves the place of {@code entry}'s bytes open here, to be filled by {@link #finish}. */
  void defer(PackageEntry entry) throws IOException {
    flush();
    deferred.add(new Deferred(entry, position));
    position += entry.file().size();
  }

  /**
   * Writes the deferred entries into their places, checked as {@link PackageEntry#copyTo(FileChannel,
   * long, ByteBuffer)} does; the first in the file's order that fails is thrown.
   */
  void finish() throws IOException {
    flush();
    long total = deferred.stream().mapToLong(d -> d.entry().file().size()).sum();
    // A direct buffer per copying thread: the bytes go from the page cache to it and back, never
    // through the heap; small enough to stay in the core's cache between the read, the CRC and the write.
    ParallelHashing.map(deferred, total, () -> ByteBuffer.allocateDirect(Checksums.BUFFER_SIZE), (d, direct) -> {
      try {
        d.entry().copyTo(channel, d.position(), direct);
        return d;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy '" + d.entry().path() + "' into the package", e);
      }
    });
    deferred.clear();
  }

  /** An entry whose bytes go at {@code position}. */
  private record Deferred(PackageEntry entry, long position) {}

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      channel.close();
    }
  }
}
