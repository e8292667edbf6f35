package dev.mlops.tracking;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract through a tracking server over the PostgreSQL server named by
 * {@code MLOPS_TEST_POSTGRES_URL}, each server in a fresh schema.
 */
class RestPostgresTrackerTest extends RestTrackerContract {
  private static String unavailable;
  private static final List<PostgresTestDatabase> SCHEMAS = new ArrayList<>();

  @BeforeAll
  static void checkDatabase() {
    unavailable = PostgresTestDatabase.unavailableReason();
  }

  @Override
  void assumeAvailable() {
    assumeTrue(unavailable == null, unavailable);
  }

  @AfterAll
  static void dropSchemas() {
    stopServers();
    SCHEMAS.forEach(PostgresTestDatabase::dropSchema);
    SCHEMAS.clear();
  }

  @Override
  Store newStore(String name) {
    PostgresTestDatabase db = PostgresTestDatabase.createSchema("rest");
    SCHEMAS.add(db);
    return new Store(db.url(), db.url());
  }
}
