package dev.mlops.tracking.internal;

import dev.mlops.core.Digest;
import dev.mlops.core.StoreUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A named lock held across processes on one store, until {@link #close()}. The operating system
 * or the database releases it when the holder dies, even by {@code kill -9}: on PostgreSQL it is
 * a session advisory lock on a connection of its own, on SQLite an operating-system lock on a
 * file next to the database (a transaction held that long would block the holder's own writes);
 * through a tracking server, a lease the server holds with its own store's lock and releases when
 * the holder stops renewing it.
 * Not reentrant: a second {@code tryLock} of a held name fails, in the same process too.
 */
public final class StoreLock implements AutoCloseable {
  private final String name;
  private final AutoCloseable release;
  private boolean closed;

  private StoreLock(String name, AutoCloseable release) {
    this.name = name;
    this.release = release;
  }

  /** The name the lock was taken under. */
  public String name() {
    return name;
  }

  /** Releases the lock; closing again does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      release.close();
    } catch (Exception e) {
      // the lock goes with the connection or the file handle, which close() ends either way
    }
  }

  /** A lock held some other way (such as a server's lease) and released by {@code release}. */
  static StoreLock of(String name, AutoCloseable release) {
    return new StoreLock(Objects.requireNonNull(name, "name"), Objects.requireNonNull(release, "release"));
  }

  /** The 64-bit key of a name: the first eight bytes of its SHA-256. */
  static long key(String name) {
    byte[] digest = HexFormat.of().parseHex(Digest.of("mlops.lock:" + name).hex());
    return ByteBuffer.wrap(digest).getLong();
  }

  /** Takes a session advisory lock on a fresh connection, which holds it; empty when another session has it. */
  static Optional<StoreLock> advisory(String name, Connection c) throws SQLException {
    Objects.requireNonNull(c, "c");
    boolean locked = false;
    try (PreparedStatement p = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      p.setLong(1, key(name));
      try (ResultSet rs = p.executeQuery()) {
        locked = rs.next() && rs.getBoolean(1);
      }
    } finally {
      if (!locked) {
        c.close();
      }
    }
    // closing the session releases its advisory locks
    return locked ? Optional.of(new StoreLock(name, c)) : Optional.empty();
  }

  /** Takes an operating-system lock on a file next to the database; empty when another holder has it. */
  static Optional<StoreLock> file(String name, Path database) {
    Path lockFile = database.resolveSibling(database.getFileName() + ".lock-" + Long.toHexString(key(name)));
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot open the lock file " + lockFile + ": " + e.getMessage(), e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreUnavailableException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
    if (lock == null) {
      closeQuietly(channel);
      return Optional.empty();
    }
    return Optional.of(new StoreLock(name, channel));
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing was locked through it
    }
  }

  @Override
  public String toString() {
    return "StoreLock[" + name + (closed ? ", released]" : "]");
  }
}
