package dev.mlops.server.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.tracking.internal.RestStore;
import dev.mlops.tracking.internal.StoreLock;
import dev.mlops.tracking.internal.TrackingStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Named locks across the clients of the server (this library's REST store; not part of MLflow's
 * API): the server takes its store's own lock under the same name, so clients of the server and
 * processes on the store itself exclude each other, and holds it as a lease. The client renews the
 * lease while it works and releases it when done; a lease not renewed in time is released, so a
 * client killed mid-way frees the lock as a database session or a file handle would.
 * {@code POST mlops/locks/acquire {name, lease_ms}} answers {@code {acquired, token, lease_ms}};
 * {@code mlops/locks/renew {token}} and {@code mlops/locks/release {token}} answer {@code {}}.
 */
public final class LockApi implements AutoCloseable {
  private record Lease(String name, StoreLock lock, long expiresAt) {}

  private final TrackingStore store;
  private final Clock clock;
  // token to lease; guarded by this
  private final Map<String, Lease> leases = new HashMap<>();

  /**
   * @param store the store whose lock the leases hold
   * @param clock the clock the leases expire by
   */
  public LockApi(TrackingStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Adds the lock endpoints; each writes, so only a role that writes may take a lock. */
  public void register(Routes routes) {
    routes.post(RestStore.LOCK_ACQUIRE, this::acquire)
        .post(RestStore.LOCK_RENEW, this::renew)
        .post(RestStore.LOCK_RELEASE, this::release);
  }

  private ObjectNode acquire(ApiRequest r) {
    String name = r.string("name");
    long leaseMs = r.optionalLong("lease_ms").orElse(RestStore.LOCK_LEASE.toMillis());
    if (leaseMs < RestStore.MIN_LOCK_LEASE.toMillis() || leaseMs > RestStore.MAX_LOCK_LEASE.toMillis()) {
      throw ApiException.invalid("lease_ms", leaseMs + " is outside " + RestStore.MIN_LOCK_LEASE.toMillis() + " to "
          + RestStore.MAX_LOCK_LEASE.toMillis() + " milliseconds");
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    synchronized (this) {
      expire();
      Optional<StoreLock> lock = store.tryLock(name);
      out.put("acquired", lock.isPresent());
      if (lock.isPresent()) {
        String token = UUID.randomUUID().toString().replace("-", "");
        leases.put(token, new Lease(name, lock.get(), clock.millis() + leaseMs));
        out.put("token", token).put("lease_ms", leaseMs);
      }
    }
    return out;
  }

  private ObjectNode renew(ApiRequest r) {
    String token = r.string("token");
    synchronized (this) {
      expire();
      Lease lease = leases.get(token);
      if (lease == null) {
        throw new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "lock lease '" + token + "' is not held: it was"
            + " released or expired before it was renewed; take the lock again");
      }
      long leaseMs = r.optionalLong("lease_ms").orElse(RestStore.LOCK_LEASE.toMillis());
      leases.put(token, new Lease(lease.name(), lease.lock(),
          clock.millis() + Math.min(Math.max(leaseMs, RestStore.MIN_LOCK_LEASE.toMillis()), RestStore.MAX_LOCK_LEASE.toMillis())));
    }
    return JsonNodeFactory.instance.objectNode();
  }

  private ObjectNode release(ApiRequest r) {
    String token = r.string("token");
    Lease lease;
    synchronized (this) {
      lease = leases.remove(token);
    }
    // releasing a lease that expired already is not an error: the lock is free either way
    if (lease != null) {
      lease.lock().close();
    }
    return JsonNodeFactory.instance.objectNode();
  }

  /** Releases the leases whose holders stopped renewing them. */
  private void expire() {
    long now = clock.millis();
    for (Iterator<Lease> it = leases.values().iterator(); it.hasNext(); ) {
      Lease lease = it.next();
      if (lease.expiresAt() <= now) {
        it.remove();
        lease.lock().close();
      }
    }
  }

  /** Releases every lease, as the server stops. */
  @Override
  public synchronized void close() {
    leases.values().forEach(l -> l.lock().close());
    leases.clear();
  }
}
