package dev.mlops.tracking.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with one connection, which may throw {@link SQLException}. */
@FunctionalInterface
interface SqlWork<T> {
  T apply(Connection c) throws SQLException;
}
