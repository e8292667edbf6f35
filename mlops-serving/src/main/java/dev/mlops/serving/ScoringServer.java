package dev.mlops.serving;

import dev.mlops.core.InvalidInputException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link ModelService} over HTTP with an embedded Jetty server, speaking the scoring
 * protocol of {@code mlflow models serve}:
 *
 * <ul>
 *   <li>{@code POST /invocations} with a JSON body of {@code {"dataframe_split": {"columns":
 *       [...], "data": [[...]]}}}, {@code {"dataframe_records": [{...}]}}, {@code {"instances":
 *       [{...}]}} or {@code {"inputs": {"column": [...]}}}, or a {@code text/csv} body (a header
 *       line, then rows), answers {@code {"predictions": [...]}}: a classifier's labels, a
 *       regressor's numbers. When the model gives class scores the answer also has
 *       {@code "scores": [{"label": score, ...}, ...]}, one object per row.
 *   <li>{@code GET /health} (also {@code /ping}, and {@code HEAD} of both) answers 200 while
 *       serving, with the model's name, {@code registry_version} and {@code package_version};
 *       503 while shutting down.
 *   <li>{@code GET /version}: the model's name, versions, package digest and URI.
 *   <li>{@code GET /metrics}: the Micrometer registry in Prometheus text — requests by endpoint
 *       and status with a latency histogram, predictions by model version and label, swaps,
 *       refresh failures, the challenger's record and the monitor's state and alerts.
 * </ul>
 *
 * <p>Every refusal is JSON, {@code {"error_code": "...", "message": "..."}}: 400 for an empty
 * body, malformed JSON, CSV or HTTP, or a body of another shape; 422 for a missing required
 * input (naming an unknown input that may have been meant for it), a value of the wrong type or
 * an infinite number; 413 for a body over the limit; 431 for headers over their limits; 404 for
 * an unknown path; 405 for a wrong method; 415 for a body that is neither JSON nor CSV; 408 for
 * a body that stops arriving; 503 when the server already holds its limit of requests or is
 * shutting down.
 *
 * <p>Slow or hostile clients cost little: headers and bodies are read without holding a thread
 * and bounded in size; headers must arrive within the header timeout, however steadily a client
 * trickles them; a connection that sends nothing for the idle timeout is closed; the
 * connections, the threads and the requests in progress are each bounded. The server changes
 * nothing outside itself: no system property, no shutdown hook. {@link #close()} stops taking
 * new requests and waits for those running to finish; after it, {@link #port()} and
 * {@link #uri()} throw {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (ModelService service = ModelService.from(source, "models:/iris@champion");
 *      ScoringServer server = ScoringServer.builder(service).port(8080).start()) {
 *   // curl -d '{"dataframe_records":[{"x1":0.3,"x2":-1.2}]}' -H 'Content-Type: application/json' \
 *   //      http://127.0.0.1:8080/invocations
 *   server.awaitShutdown();
 * }
 * }</pre>
 */
public final class ScoringServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringServer.class);
  /** Threads Jetty takes from the pool for itself: one accepts connections, one watches them. */
  private static final int ACCEPTORS = 1;
  private static final int SELECTORS = 1;

  private final ModelService service;
  private final Server jetty;
  private final ServerConnector connector;
  private final Admission admission;
  private final ServingMetrics metrics;
  private final Duration drainTimeout;
  private final int port;
  private final String host;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object stopped = new Object();

  private ScoringServer(Builder b) throws Exception {
    this.service = b.service;
    this.drainTimeout = b.drainTimeout;
    this.host = b.host;
    this.admission = new Admission(b.maxConcurrentRequests);

    int poolSize = b.threads + ACCEPTORS + SELECTORS;
    // The pool is bounded; its queue is not (Jetty's advice), since the connection limit and the
    // admission limit already bound what can wait in it.
    QueuedThreadPool pool = new QueuedThreadPool(poolSize, poolSize);
    pool.setReservedThreads(0);
    pool.setName("mlops-scoring");
    pool.setDaemon(true);
    this.jetty = new Server(pool);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(b.maxHeaderBytes);
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    this.connector = new ServerConnector(jetty, ACCEPTORS, SELECTORS, new HttpConnectionFactory(http));
    connector.setHost(b.host);
    connector.setPort(b.port);
    connector.setIdleTimeout(b.idleTimeout.toMillis());
    connector.setAcceptQueueSize(b.backlog);
    connector.addBean(new HeaderDeadline(connector.getScheduler(), b.headerTimeout.toMillis()));
    jetty.addConnector(connector);
    jetty.addBean(new NetworkConnectionLimit(b.maxConnections, connector));
    jetty.setErrorHandler(new JsonErrorHandler());
    // Bound first, so that the meters can name the port: servers sharing a registry stay apart.
    connector.open();
    this.port = connector.getLocalPort();
    MeterRegistry registry = b.registry != null ? b.registry : service.meterRegistry();
    this.metrics = new ServingMetrics(registry, port);
    jetty.setHandler(new ScoringHandler(service, admission, metrics, prometheus(registry),
        b.maxBodyBytes, b.maxHeaderCount, b.maxConcurrentRequests));
    try {
      jetty.start();
    } catch (Exception e) {
      metrics.close();
      jetty.stop();
      connector.close();
      throw e;
    }
    LOG.info("scoring {} version {} on {}", service.current().name(), service.current().version(), uri());
  }

  /** The Prometheus registry {@code /metrics} serves: the registry itself, or one inside a composite. */
  private static Optional<PrometheusMeterRegistry> prometheus(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry p) {
      return Optional.of(p);
    }
    if (registry instanceof CompositeMeterRegistry c) {
      return c.getRegistries().stream().filter(PrometheusMeterRegistry.class::isInstance)
          .map(PrometheusMeterRegistry.class::cast).findFirst();
    }
    return Optional.empty();
  }

  /** A builder for a server of this service. */
  public static Builder builder(ModelService service) {
    return new Builder(service);
  }

  /**
   * The port the server listens on (the one chosen when the builder asked for port 0).
   *
   * @throws IllegalStateException once the server is closed
   */
  public int port() {
    checkOpen();
    return port;
  }

  /**
   * The server's base URI, such as {@code http://127.0.0.1:8080/}.
   *
   * @throws IllegalStateException once the server is closed
   */
  public URI uri() {
    checkOpen();
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + shown + ":" + port + "/");
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the scoring server that listened on port " + port + " is closed; start a new one");
    }
  }

  /** Blocks until {@link #close()} has run (from another thread or a shutdown hook). */
  public void awaitShutdown() throws InterruptedException {
    synchronized (stopped) {
      while (!closed.get()) {
        stopped.wait();
      }
    }
  }

  /**
   * Shuts down gracefully: new requests get 503, requests already admitted finish (up to the
   * drain timeout), then the listener closes and the server's meters leave the registry. The
   * model service stays open; close it too. Closing twice does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      if (!admission.drain(drainTimeout)) {
        LOG.warn("requests still running after {}; closing their connections", drainTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        jetty.stop();
      } catch (Exception e) {
        LOG.warn("the scoring server on port {} did not stop cleanly: {}", port, e.toString());
      }
      metrics.close();
      synchronized (stopped) {
        stopped.notifyAll();
      }
      LOG.info("scoring server on port {} stopped", port);
    }
  }

  /**
   * Configures and starts a {@link ScoringServer}. Every limit has a default fit for a model
   * server facing untrusted clients; each can be changed here.
   */
  public static final class Builder {
    private final ModelService service;
    private String host = "127.0.0.1";
    private int port = 8080;
    private int backlog = 128;
    private long maxBodyBytes = 1L << 20;
    private int maxHeaderBytes = 8 * 1024;
    private int maxHeaderCount = 100;
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int maxConcurrentRequests = 256;
    private int maxConnections = 1024;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration headerTimeout = Duration.ofSeconds(10);
    private Duration drainTimeout = Duration.ofSeconds(10);
    private MeterRegistry registry;

    private Builder(ModelService service) {
      this.service = Objects.requireNonNull(service, "service");
    }

    /** The address to listen on (default 127.0.0.1; {@code 0.0.0.0} for every interface). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port (default 8080; 0 picks a free one, see {@link ScoringServer#port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new InvalidInputException("a port is between 0 and 65535; got " + port);
      }
      this.port = port;
      return this;
    }

    /** The largest request body accepted, in bytes (default 1 MiB); larger bodies get 413. */
    public Builder maxBodyBytes(long bytes) {
      this.maxBodyBytes = positive("maxBodyBytes", bytes, Integer.MAX_VALUE - 8);
      return this;
    }

    /** The most bytes of a request line and its headers (default 8 KiB); more get 431 (414 for a long URI). */
    public Builder maxHeaderBytes(int bytes) {
      this.maxHeaderBytes = (int) positive("maxHeaderBytes", bytes, 1 << 20);
      return this;
    }

    /** The most header fields of a request (default 100); more get 431. */
    public Builder maxHeaderCount(int count) {
      this.maxHeaderCount = (int) positive("maxHeaderCount", count, Integer.MAX_VALUE);
      return this;
    }

    /**
     * The threads that answer requests (default: the processor count, at least 2). The server
     * adds two threads of its own, one accepting connections and one watching them, so
     * reading slow clients never takes one of these.
     */
    public Builder threads(int threads) {
      this.threads = (int) positive("threads", threads, 10_000);
      return this;
    }

    /** The most requests in progress at once (default 256); more get 503 with {@code Retry-After}. */
    public Builder maxConcurrentRequests(int limit) {
      this.maxConcurrentRequests = (int) positive("maxConcurrentRequests", limit, 1_000_000);
      return this;
    }

    /** The most open connections (default 1024); beyond it new connections wait in the backlog. */
    public Builder maxConnections(int limit) {
      this.maxConnections = (int) positive("maxConnections", limit, 1_000_000);
      return this;
    }

    /**
     * How long a connection may send nothing (default 30 s): an idle keep-alive connection, a
     * client stalled in its headers, or a body that stops arriving (then answered 408) is
     * closed after it.
     */
    public Builder idleTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new InvalidInputException("an idle timeout must be positive; got " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * How long a request's line and headers may take to arrive (default 10 s): a connection still
     * in the headers of the same request after one to two of these is closed, however steadily
     * its client trickles bytes.
     */
    public Builder headerTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new InvalidInputException("a header timeout must be positive; got " + timeout);
      }
      this.headerTimeout = timeout;
      return this;
    }

    /** How long {@link ScoringServer#close()} waits for running requests (default 10 s). */
    public Builder drainTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new InvalidInputException("a drain timeout cannot be negative; got " + timeout);
      }
      this.drainTimeout = timeout;
      return this;
    }

    /**
     * The registry of the server's HTTP meters (default: the service's
     * {@link ModelService#meterRegistry()}). {@code /metrics} serves it when it is a
     * {@link PrometheusMeterRegistry} or a {@link CompositeMeterRegistry} holding one, and
     * answers 404 otherwise. The server takes its meters out of it when it closes.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    private static long positive(String what, long value, long max) {
      if (value < 1 || value > max) {
        throw new InvalidInputException(what + " must be between 1 and " + max + "; got " + value);
      }
      return value;
    }

    /**
     * Binds the port and starts answering.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public ScoringServer start() {
      try {
        return new ScoringServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the scoring server on " + host + ":" + port + ": " + e.getMessage(), e);
      }
    }
  }
}
