package dev.mlops.tracking.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a SQLite database's write-ahead log back into the database on a thread of its own, so
 * that no commit waits for it. SQLite checkpoints in the committing thread once the log passes a
 * size, and a checkpoint syncs the log and the database to disk: on common disks that made one
 * write in a few take several milliseconds instead of a fraction of one. The store's connections
 * leave that automatic checkpoint to a far larger log, as a safety net, and this checkpointer
 * runs a passive checkpoint (one that never blocks a writer or a reader) after every
 * {@value #COMMITS} commits, on its own connection. Started by the store, stopped when the store
 * closes.
 */
final class WalCheckpointer implements AutoCloseable {
  /** Commits between checkpoints: about as many log pages as SQLite's own default, for the usual writes. */
  static final int COMMITS = 32;
  private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
  private static final long STOP_WAIT_SECONDS = 10;

  private final Dialect dialect;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition requested = lock.newCondition();
  private final Thread thread;
  private int commits;
  private boolean due;
  private boolean closed;
  private long checkpoints;
  private Connection connection;

  private WalCheckpointer(Dialect dialect) {
    this.dialect = dialect;
    this.thread = new Thread(this::run, "mlops-sqlite-checkpoint");
    thread.setDaemon(true);
  }

  /** A started checkpointer for the database the dialect connects to. */
  static WalCheckpointer start(Dialect dialect) {
    WalCheckpointer c = new WalCheckpointer(dialect);
    c.thread.start();
    return c;
  }

  /** Counts a commit; every {@value #COMMITS}th asks for a checkpoint, without waiting for it. */
  void committed() {
    lock.lock();
    try {
      if (++commits >= COMMITS) {
        commits = 0;
        due = true;
        requested.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** How many checkpoints have completed, for tests. */
  long checkpoints() {
    lock.lock();
    try {
      return checkpoints;
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (awaitRequest()) {
      try {
        if (connection == null) {
          connection = dialect.connect();
        }
        dialect.checkpoint(connection);
      } catch (SQLException | RuntimeException e) {
        // the next request tries again on a new connection; until then the log only grows
        LOG.debug("checkpoint of {} failed: {}", dialect.describe(), e.getMessage());
        closeConnection();
        continue;
      }
      lock.lock();
      try {
        checkpoints++;
      } finally {
        lock.unlock();
      }
    }
    closeConnection();
  }

  /** Waits for a checkpoint to be due; false once closed. */
  private boolean awaitRequest() {
    lock.lock();
    try {
      while (!due && !closed) {
        requested.awaitUninterruptibly();
      }
      due = false;
      return !closed;
    } finally {
      lock.unlock();
    }
  }

  private void closeConnection() {
    if (connection != null) {
      ConnectionPool.closeQuietly(connection);
      connection = null;
    }
  }

  /** Stops the thread once a checkpoint under way has ended; SQLite checkpoints when the last connection closes. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      requested.signal();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
