package dev.mlops.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scoring server's HTTP meters, recorded in a Micrometer {@link MeterRegistry}: a timer of
 * answered requests by endpoint and status (so a latency histogram, and counts in its
 * {@code _count}), requests in flight, and requests whose client went away before the answer.
 * The endpoint tag takes one of the server's endpoint names or {@code other}, never the path a
 * client sent, so no client can grow the number of series. Health checks are their own
 * endpoint and never counted as scoring. Every meter carries the server's port, so that
 * servers sharing one registry keep their meters apart.
 */
final class ServingMetrics implements AutoCloseable {
  static final String REQUESTS = "mlops.http.requests";
  static final String IN_FLIGHT = "mlops.http.requests.in.flight";
  static final String ABORTED = "mlops.http.requests.aborted";

  /** Latency bucket upper bounds, from half a millisecond to ten seconds. */
  private static final Duration[] BUCKETS = {
      Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
      Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final Map<Long, Timer> timers = new ConcurrentHashMap<>();
  private final List<Meter> registered = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Counter aborted;
  private final String port;

  ServingMetrics(MeterRegistry registry, int port) {
    this.registry = registry;
    this.port = Integer.toString(port);
    registered.add(Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
        .description("HTTP requests being answered now").tag("port", this.port).register(registry));
    this.aborted = Counter.builder(ABORTED)
        .description("HTTP requests whose client went away before the answer").tag("port", this.port).register(registry);
    registered.add(aborted);
  }

  void started() {
    inFlight.incrementAndGet();
  }

  /** Counts one request: answered with this status after {@code nanos}, or (status 0) abandoned by its client. */
  void finished(Endpoint endpoint, int status, long nanos) {
    inFlight.decrementAndGet();
    if (status == 0) {
      aborted.increment();
      return;
    }
    timers.computeIfAbsent(((long) endpoint.ordinal() << 32) | status, key -> timer(endpoint, status))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(Endpoint endpoint, int status) {
    Timer t = Timer.builder(REQUESTS)
        .description("HTTP requests answered, by endpoint and status: time from reading a request to sending its answer")
        .tag("port", port)
        .tag("endpoint", endpoint.tag())
        .tag("status", Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
    registered.add(t);
    return t;
  }

  /** Takes the server's meters out of the registry, which may be the host's and outlive the server. */
  @Override
  public void close() {
    registered.forEach(registry::remove);
    registered.clear();
    timers.clear();
  }
}
