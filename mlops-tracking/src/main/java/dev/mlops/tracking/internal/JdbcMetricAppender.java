package dev.mlops.tracking.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The metric writer's own connection, outside the store's pool, with the metric statements
 * prepared on it once and reused for every batch. Each batch is a write of the store: same
 * transaction, same in-process write lock, same retries. A connection that broke is replaced at
 * the next batch; after any failure the statements are prepared again, since the failure may
 * have been a schema change that left them stale.
 */
final class JdbcMetricAppender implements MetricAppender, ConnectionSource {
  private final JdbcStore store;
  private final Dialect dialect;
  private Connection connection;
  private MetricStatements statements;

  JdbcMetricAppender(JdbcStore store, Dialect dialect) {
    this.store = store;
    this.dialect = dialect;
  }

  @Override
  public void append(List<MetricPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    List<MetricPoint> latest = MetricStatements.latestOf(points);
    store.write(this, c -> {
      try {
        if (statements == null) {
          statements = MetricStatements.prepare(c);
        }
        statements.write(points, latest);
        return null;
      } catch (SQLException | RuntimeException e) {
        closeStatements();
        throw e;
      }
    });
  }

  @Override
  public Connection acquire() throws SQLException {
    if (connection == null) {
      connection = dialect.connect();
    }
    return connection;
  }

  @Override
  public void release(Connection c, boolean broken) {
    if (broken) {
      close();
    }
  }

  @Override
  public void close() {
    closeStatements();
    if (connection != null) {
      ConnectionPool.closeQuietly(connection);
      connection = null;
    }
  }

  private void closeStatements() {
    if (statements != null) {
      statements.close();
      statements = null;
    }
  }
}
