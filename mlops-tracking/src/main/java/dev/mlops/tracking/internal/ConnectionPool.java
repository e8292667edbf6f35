package dev.mlops.tracking.internal;

import dev.mlops.core.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;

/**
 * A few reusable connections, each keeping the statements prepared on it ({@link StatementCache}).
 * A borrower waits when all are lent out; a connection that failed in a way that may have broken
 * it is closed instead of returned.
 */
final class ConnectionPool implements ConnectionSource, AutoCloseable {
  private final Dialect dialect;
  private final Semaphore permits;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  ConnectionPool(Dialect dialect) {
    this.dialect = dialect;
    this.permits = new Semaphore(dialect.poolSize(), true);
  }

  @Override
  public Connection acquire() throws SQLException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting for a connection to " + dialect.describe(), e);
    }
    synchronized (this) {
      if (closed) {
        permits.release();
        throw new IllegalStateException(dialect.describe() + " is closed; open a new tracker");
      }
      Connection c = idle.pollFirst();
      if (c != null) {
        return c;
      }
    }
    try {
      return StatementCache.wrap(dialect.connect());
    } catch (SQLException | RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  @Override
  public void release(Connection c, boolean broken) {
    boolean keep = !broken;
    synchronized (this) {
      if (keep && !closed) {
        idle.addFirst(c);
        c = null;
      }
    }
    if (c != null) {
      closeQuietly(c);
    }
    permits.release();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      idle.forEach(ConnectionPool::closeQuietly);
      idle.clear();
    }
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // closing a connection we no longer use cannot lose data
    }
  }
}
