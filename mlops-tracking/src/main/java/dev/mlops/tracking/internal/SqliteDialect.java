package dev.mlops.tracking.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite: write-ahead logging so readers never wait for the writer, a busy timeout so that
 * processes sharing the file wait for each other, and explicit {@code BEGIN IMMEDIATE} so that a
 * transaction takes the write lock before it reads and can never deadlock upgrading from a read
 * lock. Commits use {@code synchronous = NORMAL}, SQLite's recommendation for WAL: a committed
 * transaction survives the crash or kill of the process (the WAL is in the operating system's
 * hands), and the database is never corrupted; only a power loss or an operating-system crash
 * can roll back the last commits. {@code FULL} would add an fsync to every commit, tripling the
 * cost of starting, logging to and ending a run on common disks. The log is copied back into the
 * database by the store's {@link WalCheckpointer}, not by the commit that happens to fill it.
 */
final class SqliteDialect implements Dialect {
  private static final int BUSY_TIMEOUT_MS = 10_000;
  private static final int PROGRESS_STEPS = 10_000;
  /** The log's size, in pages, at which a commit checkpoints by itself: ten times SQLite's default. */
  static final int SAFETY_NET_PAGES = 10_000;
  private final Path file;

  SqliteDialect(Path file) {
    this.file = file;
  }

  @Override
  public String describe() {
    return "SQLite database " + file;
  }

  @Override
  public Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
      s.execute("PRAGMA journal_mode = WAL");
      s.execute("PRAGMA synchronous = NORMAL");
      s.execute("PRAGMA foreign_keys = ON");
      // the store's checkpointer keeps the log far below this; a commit checkpoints only if it stops
      s.execute("PRAGMA wal_autocheckpoint = " + SAFETY_NET_PAGES);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  @Override
  public java.util.Optional<StoreLock> tryLock(String name) {
    return StoreLock.file(name, file);
  }

  @Override
  public int poolSize() {
    return 4;
  }

  @Override
  public boolean serializesWrites() {
    return true;
  }

  @Override
  public void begin(Connection c) throws SQLException {
    execute(c, "BEGIN IMMEDIATE");
  }

  @Override
  public void commit(Connection c) throws SQLException {
    execute(c, "COMMIT");
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public void rollback(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException e) {
      // No transaction was open (it failed to begin), or SQLite already rolled it back.
    }
  }

  @Override
  public void lockForMigration(Connection c) {
    // BEGIN IMMEDIATE already holds the database's write lock.
  }

  // a passive checkpoint copies what no reader still needs and never waits for a lock
  @Override
  public void checkpoint(Connection c) throws SQLException {
    execute(c, "PRAGMA wal_checkpoint(PASSIVE)");
  }

  @Override
  public boolean checkpointsInBackground() {
    return true;
  }

  @Override
  public Map<String, String> columnTypes() {
    return Map.of(
        "ID", "INTEGER PRIMARY KEY",
        "DOUBLE", "REAL",
        "BIGINT", "INTEGER",
        "CLUSTERED", "WITHOUT ROWID");
  }

  @Override
  public boolean isTransient(SQLException e) {
    if (e instanceof SQLiteException se) {
      int primary = se.getResultCode().code & 0xff;
      return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
    }
    String message = e.getMessage();
    return message != null && (message.contains("database is locked") || message.contains("SQLITE_BUSY"));
  }

  @Override
  public boolean isConstraintViolation(SQLException e) {
    return e instanceof SQLiteException se && (se.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_CONSTRAINT.code;
  }

  // SQLite has no statement timeout of its own: a progress handler, called every few thousand
  // virtual-machine steps, interrupts the statement once the deadline has passed.
  @Override
  public <T> T bounded(Connection c, Duration timeout, SqlWork<T> work) throws SQLException {
    long deadline = System.nanoTime() + timeout.toNanos();
    // the handler is the driver's own connection's: a pooled one wraps it to keep its statements
    Connection own = c.unwrap(SQLiteConnection.class);
    ProgressHandler.setHandler(own, PROGRESS_STEPS, new ProgressHandler() {
      @Override
      protected int progress() {
        return System.nanoTime() - deadline > 0 ? 1 : 0;
      }
    });
    try {
      return work.apply(c);
    } finally {
      ProgressHandler.clearHandler(own);
    }
  }

  @Override
  public boolean isTimeout(SQLException e) {
    return e instanceof SQLiteException se && (se.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_INTERRUPT.code;
  }

  @Override
  public String like(String column, boolean caseInsensitive) {
    // SQLite's LIKE ignores ASCII case; GLOB is the case-sensitive match.
    return caseInsensitive ? column + " LIKE ?" : column + " GLOB ?";
  }

  @Override
  public String likePattern(String pattern, boolean caseInsensitive) {
    if (caseInsensitive) {
      return pattern;
    }
    StringBuilder glob = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      switch (c) {
        case '%' -> glob.append('*');
        case '_' -> glob.append('?');
        case '*', '?', '[' -> glob.append('[').append(c).append(']');
        default -> glob.append(c);
      }
    }
    return glob.toString();
  }
}
