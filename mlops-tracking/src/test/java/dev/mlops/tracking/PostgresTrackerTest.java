package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract against the real PostgreSQL server named by {@code MLOPS_TEST_POSTGRES_URL},
 * in a fresh schema.
 */
class PostgresTrackerTest extends TrackerContract implements DirectStoreContract {
  private static String unavailable;
  private static PostgresTestDatabase database;
  private static final List<PostgresTestDatabase> fresh = new ArrayList<>();

  @BeforeAll
  static void createSchema() {
    unavailable = PostgresTestDatabase.unavailableReason();
    if (unavailable == null) {
      database = PostgresTestDatabase.createSchema("contract");
    }
  }

  @Override
  void assumeAvailable() {
    assumeTrue(unavailable == null, unavailable);
  }

  @AfterAll
  static void dropSchemas() {
    if (database != null) {
      database.dropSchema();
    }
    fresh.forEach(PostgresTestDatabase::dropSchema);
  }

  @Override
  public String uri() {
    return database.url();
  }

  @Override
  public String freshUri() {
    PostgresTestDatabase db = PostgresTestDatabase.createSchema("fresh");
    fresh.add(db);
    return db.url();
  }

  @Override
  String jdbcUrl(String uri) {
    return uri;
  }

  @Test
  void opensThePostgresqlUriWithoutTheJdbcPrefix() {
    String plain = uri().substring("jdbc:".length());
    try (Tracker t = builder(plain).build()) {
      assertEquals(tracker.experiment("by-plain-uri").id(), t.experiment("by-plain-uri").id());
    }
  }
}
