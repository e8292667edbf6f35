package dev.mlops.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.JdbcStore;
import dev.mlops.tracking.internal.RestStore;
import dev.mlops.tracking.internal.TrackingUri;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's lock leases: held until released, or until their holder stops renewing them. */
class LockApiTest {
  @TempDir Path dir;
  private JdbcStore store;
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private LockApi locks;
  private final Routes routes = new Routes();

  @BeforeEach
  void open() {
    store = JdbcStore.open(TrackingUri.parse("sqlite:" + dir.resolve("mlops.db")), Tracker.DEFAULT_STATEMENT_TIMEOUT, 0);
    locks = new LockApi(store, new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    });
    locks.register(routes);
  }

  @AfterEach
  void close() {
    locks.close();
    store.close();
  }

  private ObjectNode call(String endpoint, ObjectNode body) {
    return routes.find("POST", Routes.PREFIX + endpoint).orElseThrow().endpoint().handle(new ApiRequest(body, null, h -> null));
  }

  private ObjectNode acquire(String name, long leaseMs) {
    return call(RestStore.LOCK_ACQUIRE, JsonNodeFactory.instance.objectNode().put("name", name).put("lease_ms", leaseMs));
  }

  @Test
  void aLeaseExcludesOthersUntilReleasedOrExpiredAndTheStoresOwnLockIsTheSame() {
    ObjectNode first = acquire("lifecycle:iris", 5_000);
    assertTrue(first.get("acquired").asBoolean());
    String token = first.get("token").asText();
    assertFalse(acquire("lifecycle:iris", 5_000).get("acquired").asBoolean());
    assertTrue(store.tryLock("lifecycle:iris").isEmpty(), "the lease holds the store's own lock of that name");
    assertTrue(acquire("lifecycle:other", 5_000).get("acquired").asBoolean(), "other names are independent");

    now = now.plus(Duration.ofSeconds(4));
    call(RestStore.LOCK_RENEW, JsonNodeFactory.instance.objectNode().put("token", token).put("lease_ms", 5_000));
    now = now.plus(Duration.ofSeconds(4));
    assertFalse(acquire("lifecycle:iris", 5_000).get("acquired").asBoolean(), "a renewed lease is still held");

    now = now.plus(Duration.ofSeconds(6));   // its holder stopped renewing: dead
    ObjectNode next = acquire("lifecycle:iris", 5_000);
    assertTrue(next.get("acquired").asBoolean(), "an expired lease frees the lock");
    ApiException lost = assertThrows(ApiException.class,
        () -> call(RestStore.LOCK_RENEW, JsonNodeFactory.instance.objectNode().put("token", token)));
    assertEquals(404, lost.status());
    assertTrue(lost.getMessage().contains(token), lost.getMessage());

    call(RestStore.LOCK_RELEASE, JsonNodeFactory.instance.objectNode().put("token", next.get("token").asText()));
    call(RestStore.LOCK_RELEASE, JsonNodeFactory.instance.objectNode().put("token", token));   // again: nothing to do
    assertTrue(acquire("lifecycle:iris", 5_000).get("acquired").asBoolean(), "a released lock is free");
  }

  @Test
  void aLeaseOutsideTheLimitsIsRefusedWithItsValue() {
    ApiException e = assertThrows(ApiException.class, () -> acquire("x", 10));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("lease_ms") && e.getMessage().contains("10 "), e.getMessage());
  }
}
