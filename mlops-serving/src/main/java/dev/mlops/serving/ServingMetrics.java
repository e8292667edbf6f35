package dev.mlops.serving;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The scoring server's counters, written in the Prometheus text exposition format (version
 * 0.0.4): requests by status code, a latency histogram, requests in flight. Recording is
 * lock-free ({@link LongAdder}s), so it costs a request next to nothing.
 */
final class ServingMetrics {
  /** Latency bucket upper bounds in seconds, from half a millisecond to ten seconds. */
  private static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  private static final double NANOS_PER_SECOND = 1e9;

  private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
  private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
  private final LongAdder count = new LongAdder();
  private final LongAdder sumNanos = new LongAdder();
  private final LongAdder inFlight = new LongAdder();
  private final LongAdder aborted = new LongAdder();

  ServingMetrics() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  void started() {
    inFlight.increment();
  }

  /** Counts one request: answered with this status after {@code nanos}, or (status 0) abandoned by its client. */
  void finished(int status, long nanos) {
    inFlight.decrement();
    if (status == 0) {
      aborted.increment();
      return;
    }
    byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    double seconds = nanos / NANOS_PER_SECOND;
    int i = 0;
    while (i < BOUNDS.length && seconds > BOUNDS[i]) {
      i++;
    }
    buckets[i].increment();
    count.increment();
    sumNanos.add(nanos);
  }

  /** How many requests with this status were answered. */
  long count(int status) {
    LongAdder a = byStatus.get(status);
    return a == null ? 0 : a.sum();
  }

  /** Appends the HTTP metrics. */
  void writeTo(PrometheusText out) {
    out.family("mlops_http_requests_total", "counter", "HTTP requests answered, by status code.");
    new TreeMap<>(byStatus).forEach((status, n) -> out.sample("mlops_http_requests_total", n.sum(), "status", status.toString()));
    out.family("mlops_http_requests_aborted_total", "counter", "HTTP requests whose client went away before the answer.");
    out.sample("mlops_http_requests_aborted_total", aborted.sum());
    out.family("mlops_http_requests_in_flight", "gauge", "HTTP requests being answered now.");
    out.sample("mlops_http_requests_in_flight", inFlight.sum());
    String name = "mlops_http_request_duration_seconds";
    out.family(name, "histogram", "Time from reading a request to sending its answer.");
    long cumulative = 0;
    for (int i = 0; i < BOUNDS.length; i++) {
      cumulative += buckets[i].sum();
      out.sample(name + "_bucket", cumulative, "le", PrometheusText.number(BOUNDS[i]));
    }
    cumulative += buckets[BOUNDS.length].sum();
    out.sample(name + "_bucket", cumulative, "le", "+Inf");
    out.sample(name + "_sum", sumNanos.sum() / NANOS_PER_SECOND);
    out.sample(name + "_count", count.sum());
  }
}
