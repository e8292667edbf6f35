package dev.mlops.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.tracking.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
  @TempDir Path temp;

  /** The checks, on a connection to a database with an empty table {@code t (k INTEGER NOT NULL)}. */
  private interface Check {
    void on(Connection c) throws SQLException;
  }

  private void onSqlite(Check check) throws SQLException {
    try (Connection c = StatementCache.wrap(DriverManager.getConnection("jdbc:sqlite:" + temp.resolve("cache.db")))) {
      table(c);
      check.on(c);
    }
  }

  private static void onPostgresql(String purpose, Check check) throws SQLException {
    PostgresTestDatabase db = PostgresTestDatabase.createSchema(purpose);
    try (Connection c = StatementCache.wrap(DriverManager.getConnection(db.url()))) {
      table(c);
      check.on(c);
    } finally {
      db.dropSchema();
    }
  }

  private static void table(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (k INTEGER NOT NULL)");
    }
  }

  private static PreparedStatement driverStatement(PreparedStatement p) throws SQLException {
    return p.unwrap(PreparedStatement.class);
  }

  @Test
  void aClosedStatementIsHandedOutAgainWithNoParametersOrBatchLeftAndAStaleHandleFailsOnSqlite() throws SQLException {
    onSqlite(StatementCacheTest::assertReusedClean);
  }

  @Test
  void aClosedStatementIsHandedOutAgainWithNoParametersOrBatchLeftAndAStaleHandleFailsOnPostgresql() throws SQLException {
    onPostgresql("cache_reuse", StatementCacheTest::assertReusedClean);
  }

  private static void assertReusedClean(Connection c) throws SQLException {
    PreparedStatement first = c.prepareStatement("INSERT INTO t (k) VALUES (?)");
    PreparedStatement driver = driverStatement(first);
    first.setInt(1, 1);
    first.executeUpdate();
    first.setInt(1, 2);
    first.addBatch();
    first.close();
    assertTrue(first.isClosed());
    assertThrows(SQLException.class, () -> first.setInt(1, 3), "a closed handle must not reach the reused statement");
    assertEquals(1, StatementCache.idleCount(c));

    try (PreparedStatement again = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
      assertSame(driver, driverStatement(again), "the same SQL is not prepared again");
      assertNotSame(first, again, "each use gets a handle of its own");
      assertFalse(again.equals(first), "handles are equal only to themselves");
      assertEquals(again, again);
      assertEquals(System.identityHashCode(again), again.hashCode());
      assertTrue(again.toString().contains("INSERT INTO t (k) VALUES (?)"), again.toString());
      assertArrayEquals(new int[0], again.executeBatch(), "the batch left by the last user is gone");
      assertThrows(SQLException.class, again::executeUpdate, "the parameter bound by the last user is gone");
    }
    // the failed statement was closed, not kept: the next one is prepared anew and works
    assertEquals(0, StatementCache.idleCount(c));
    try (PreparedStatement fresh = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
      assertNotSame(driver, driverStatement(fresh));
      fresh.setInt(1, 4);
      assertEquals(1, fresh.executeUpdate());
    }
    try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM t"); ResultSet rs = count.executeQuery()) {
      assertTrue(rs.next());
      assertEquals(2, rs.getInt(1), "rows 1 and 4; neither the batch nor the unbound insert wrote a row");
      assertSame(c, count.getConnection(), "a statement answers the caching connection, not the driver's");
    }
  }

  @Test
  void theSameQueryNestedInItselfGetsAStatementOfItsOwnAndAnOpenResultIsClosedWhenItsStatementIsOnSqlite()
      throws SQLException {
    onSqlite(StatementCacheTest::assertNestedAndLeftOpen);
  }

  @Test
  void theSameQueryNestedInItselfGetsAStatementOfItsOwnAndAnOpenResultIsClosedWhenItsStatementIsOnPostgresql()
      throws SQLException {
    onPostgresql("cache_nested", StatementCacheTest::assertNestedAndLeftOpen);
  }

  private static void assertNestedAndLeftOpen(Connection c) throws SQLException {
    String plusOne = "SELECT CAST(? AS INTEGER) + 1";
    ResultSet leftOpen;
    try (PreparedStatement outer = c.prepareStatement(plusOne)) {
      outer.setInt(1, 10);
      leftOpen = outer.executeQuery();
      try (PreparedStatement inner = c.prepareStatement(plusOne)) {
        assertNotSame(driverStatement(outer), driverStatement(inner));
        inner.setInt(1, 20);
        try (ResultSet rs = inner.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(21, rs.getInt(1));
        }
      }
      assertTrue(leftOpen.next());
      assertEquals(11, leftOpen.getInt(1), "the inner use did not disturb the outer one");
    }
    assertTrue(leftOpen.isClosed(), "a result left open would hold the database's read snapshot");
    assertEquals(1, StatementCache.idleCount(c), "one of the two is kept, the other closed");
  }

  @Test
  void aStatementGivenAFetchSizeRowLimitOrTimeoutIsNotKeptTheIdleOnesAreBoundedAndClosedWithTheConnection() throws SQLException {
    List<PreparedStatement> kept = new ArrayList<>();
    Connection c = StatementCache.wrap(DriverManager.getConnection("jdbc:sqlite:" + temp.resolve("bounded.db")));
    try (c) {
      for (String setting : List.of("fetch size", "row limit", "timeout")) {
        try (PreparedStatement p = c.prepareStatement("SELECT 1")) {
          switch (setting) {
            case "fetch size" -> p.setFetchSize(10);
            case "row limit" -> p.setMaxRows(5);
            default -> p.setQueryTimeout(3);
          }
          p.executeQuery().close();
        }
        assertEquals(0, StatementCache.idleCount(c), "a statement given a " + setting + " is not handed to the next user");
      }
      for (int i = 0; i < StatementCache.CAPACITY + 10; i++) {
        try (PreparedStatement p = c.prepareStatement("SELECT " + i)) {
          kept.add(driverStatement(p));
          try (ResultSet rs = p.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(i, rs.getInt(1));
          }
        }
      }
      assertEquals(StatementCache.CAPACITY, StatementCache.idleCount(c));
      for (int i = 0; i < 10; i++) {
        assertTrue(kept.get(i).isClosed(), "the least recently used statement " + i + " was closed");
      }
      assertTrue(kept.stream().skip(10).noneMatch(StatementCacheTest::isClosed));
    }
    assertTrue(kept.stream().allMatch(StatementCacheTest::isClosed), "closing the connection closes what it kept");
    assertThrows(SQLException.class, () -> c.prepareStatement("SELECT 1"));
  }

  @Test
  void anUnboundParameterOfAReusedQueryIsNullNotTheLastUsersValue() throws SQLException {
    onSqlite(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT ?")) {
        p.setString(1, "secret of the last user");
        p.executeQuery().close();
      }
      try (PreparedStatement p = c.prepareStatement("SELECT ?"); ResultSet rs = p.executeQuery()) {
        assertTrue(rs.next());
        assertNull(rs.getString(1));
      }
    });
  }

  @Test
  void aStatementClosedThroughTheDriverIsPreparedAgainNotHandedOut() throws SQLException {
    onSqlite(c -> {
      PreparedStatement driver;
      try (PreparedStatement p = c.prepareStatement("SELECT 2")) {
        driver = driverStatement(p);
      }
      // kept idle, then closed by whoever held on to the driver's statement
      assertEquals(1, StatementCache.idleCount(c));
      driver.close();
      try (PreparedStatement p = c.prepareStatement("SELECT 2"); ResultSet rs = p.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
      }
    });
  }

  private static boolean isClosed(Statement s) {
    try {
      return s.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }
}
