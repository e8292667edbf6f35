package dev.mlops.tracking.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/** What differs between the databases a {@link JdbcStore} runs on. */
interface Dialect {
  /** A name for messages, with the location of the database. */
  String describe();

  /** Opens a new connection, configured for this store. */
  Connection connect() throws SQLException;

  /** How many connections the store keeps. */
  int poolSize();

  /**
   * Whether writes from this process should queue on a lock before reaching the database: the
   * database takes one writer at a time, and waiting on a lock is fairer and faster than its
   * busy handler.
   */
  boolean serializesWrites();

  /** Starts a write transaction that holds the database's write lock from its start. */
  void begin(Connection c) throws SQLException;

  /** Commits the transaction started by {@link #begin}. */
  void commit(Connection c) throws SQLException;

  /**
   * Whether the store copies the database's write-ahead log back on a thread of its own
   * ({@link WalCheckpointer}, with {@link #checkpoint}) instead of letting a commit do it.
   */
  default boolean checkpointsInBackground() {
    return false;
  }

  /** Copies the write-ahead log back into the database without blocking a writer or a reader. */
  default void checkpoint(Connection c) throws SQLException {}

  /** Rolls back the transaction started by {@link #begin}; never throws. */
  void rollback(Connection c);

  /** Inside a transaction, blocks until no other process is migrating this database. */
  void lockForMigration(Connection c) throws SQLException;

  /** Takes the named cross-process lock, or answers empty when another holder has it; see {@link StoreLock}. */
  java.util.Optional<StoreLock> tryLock(String name) throws SQLException;

  /**
   * What fills the placeholders of the migration scripts: column types ({@code ID}, {@code DOUBLE},
   * {@code BIGINT}) and {@code CLUSTERED}, the option that stores a table in its primary key's
   * order (SQLite's {@code WITHOUT ROWID}; PostgreSQL has none and needs none for it).
   */
  Map<String, String> columnTypes();

  /** Whether the failure is transient (lock contention, a lost connection) and worth a retry. */
  boolean isTransient(SQLException e);

  /** Whether the failure is a constraint violation: a row that already exists, a broken reference. */
  boolean isConstraintViolation(SQLException e);

  /**
   * Runs read-only work that the database abandons once it has run for {@code timeout}; the
   * failure it then throws is one that {@link #isTimeout} recognises. The limit is kept by the
   * database itself, so it holds even when this process dies mid-query.
   */
  <T> T bounded(Connection c, Duration timeout, SqlWork<T> work) throws SQLException;

  /** Whether the failure is a statement abandoned by {@link #bounded}. */
  boolean isTimeout(SQLException e);

  /** A case-sensitive or -insensitive pattern match of {@code column} against a bound LIKE pattern. */
  String like(String column, boolean caseInsensitive);

  /** The bound value for {@link #like}: the LIKE pattern as the database must see it. */
  String likePattern(String pattern, boolean caseInsensitive);
}
