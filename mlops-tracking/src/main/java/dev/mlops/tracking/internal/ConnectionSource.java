package dev.mlops.tracking.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where a unit of work gets its connection and where the connection goes afterwards: the
 * store's shared pool, or the metric writer's own connection.
 */
interface ConnectionSource {
  /** A connection to work with; waits while none is free. */
  Connection acquire() throws SQLException;

  /** Takes the connection back; a {@code broken} one is closed rather than used again. */
  void release(Connection c, boolean broken);
}
