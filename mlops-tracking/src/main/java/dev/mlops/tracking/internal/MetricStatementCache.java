package dev.mlops.tracking.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The metric statements of each pooled connection, prepared once and reused by every write on it:
 * a tracking server writes each log-batch of a thousand points in a transaction of its own, and
 * preparing the three statements again each time cost a twentieth of the write. A pooled
 * connection is used by one thread at a time, and so are its statements. Entries of connections
 * the pool has closed are dropped when a new connection is seen.
 */
final class MetricStatementCache implements AutoCloseable {
  private final Map<Connection, MetricStatements> byConnection = new IdentityHashMap<>();

  /** The statements prepared on {@code c}, prepared now if this is the first write on it. */
  MetricStatements on(Connection c) throws SQLException {
    synchronized (byConnection) {
      MetricStatements cached = byConnection.get(c);
      if (cached != null) {
        return cached;
      }
    }
    MetricStatements prepared = MetricStatements.prepare(c);
    synchronized (byConnection) {
      dropClosed();
      byConnection.put(c, prepared);
    }
    return prepared;
  }

  private void dropClosed() {
    for (Iterator<Map.Entry<Connection, MetricStatements>> it = byConnection.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Connection, MetricStatements> e = it.next();
      if (isClosed(e.getKey())) {
        e.getValue().close();
        it.remove();
      }
    }
  }

  private static boolean isClosed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** Closes every cached statement; the connections are the pool's to close. */
  @Override
  public void close() {
    synchronized (byConnection) {
      byConnection.values().forEach(MetricStatements::close);
      byConnection.clear();
    }
  }
}
