package dev.mlops.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link ModelService} over HTTP with the JDK's built-in server, speaking MLflow's
 * scoring protocol:
 *
 * <ul>
 *   <li>{@code POST /invocations} with {@code {"dataframe_split": {"columns": [...], "data":
 *       [[...]]}}} or {@code {"dataframe_records": [{...}]}} answers {@code {"predictions":
 *       [...]}}: a classifier's labels, a regressor's numbers. When the model gives class scores
 *       the answer also has {@code "scores": [{"label": score, ...}, ...]}, one object per row.
 *   <li>{@code GET /health} (also {@code /ping}) answers 200 while serving, 503 while shutting
 *       down.
 *   <li>{@code GET /version}: the model's name, version, package digest and URI.
 *   <li>{@code GET /metrics}: Prometheus text — requests by status, a latency histogram, the
 *       model version, refresh failures, challenger agreement and the monitor's drift state.
 * </ul>
 *
 * <p>Every refusal is JSON, {@code {"error_code": "...", "message": "..."}}: 400 for an empty
 * body, malformed JSON or a body of another shape; 422 for a missing required input or a value
 * of the wrong type; 413 for a body over the limit; 404 for an unknown path; 405 for a wrong
 * method; 415 for a body that is not JSON; 503 when the server already holds its limit of
 * requests or is shutting down. Requests run on a bounded pool; {@link #close()} stops taking
 * new requests and waits for those running to finish.
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
  private static final String JSON = "application/json";
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";
  private static final String ENDPOINTS = "POST /invocations, GET /health, GET /version, GET /metrics";

  private final ModelService service;
  private final HttpServer http;
  private final Admission admission;
  private final ServingMetrics metrics = new ServingMetrics();
  private final long maxBodyBytes;
  private final int maxConcurrent;
  private final Duration drainTimeout;
  private final ObjectWriter writer = CanonicalJson.writer();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object stopped = new Object();

  private ScoringServer(Builder b) throws IOException {
    enableNoDelay();
    this.service = b.service;
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxConcurrent = b.maxConcurrentRequests;
    this.drainTimeout = b.drainTimeout;
    this.admission = new Admission(b.threads, b.maxConcurrentRequests);
    this.http = HttpServer.create(new InetSocketAddress(b.host, b.port), b.backlog);
    http.createContext("/", this::handle);
    http.setExecutor(admission);
    http.start();
    LOG.info("scoring {} version {} on {}", service.current().name(), service.current().version(), uri());
  }

  /**
   * Asks the JDK server to send small answers at once. It writes a response's headers and body
   * as two TCP segments, and without TCP_NODELAY the body waits for the client's delayed
   * acknowledgement of the headers, some 40 ms, on every request. The server reads this switch
   * only from a system property, once; an application that set it keeps its own value.
   */
  private static void enableNoDelay() {
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    } else if (!Boolean.getBoolean(NO_DELAY)) {
      LOG.warn("{} is false: every answer will wait for the client's delayed acknowledgement", NO_DELAY);
    }
  }

  /** A builder for a server of this service. */
  public static Builder builder(ModelService service) {
    return new Builder(service);
  }

  /** The port the server listens on (the one chosen when the builder asked for port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** The server's base URI, such as {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    InetSocketAddress a = http.getAddress();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
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
   * drain timeout), then the listener closes. The model service stays open; close it too.
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
      http.stop(0);
      admission.shutdown();
      synchronized (stopped) {
        stopped.notifyAll();
      }
      LOG.info("scoring server on port {} stopped", port());
    }
  }

  private void handle(HttpExchange exchange) {
    long start = System.nanoTime();
    metrics.started();
    int status = 0;
    try {
      status = dispatch(exchange);
    } catch (HttpProblem p) {
      status = sendProblem(exchange, p);
    } catch (InvalidInputException e) {
      // The predictor's signature checks: a missing required input or a value of the wrong type.
      status = sendProblem(exchange, new HttpProblem(422, HttpProblem.INVALID_PARAMETER_VALUE, e.getMessage()));
    } catch (UncheckedIOException e) {
      LOG.debug("client went away: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      status = sendProblem(exchange, new HttpProblem(500, HttpProblem.INTERNAL_ERROR,
          "the server failed to answer: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    } finally {
      metrics.finished(status, System.nanoTime() - start);
      exchange.close();
    }
  }

  private int dispatch(HttpExchange exchange) {
    switch (admission.verdict()) {
      case OVERLOADED -> {
        exchange.getResponseHeaders().set("Retry-After", "1");
        throw new HttpProblem(503, HttpProblem.TEMPORARILY_UNAVAILABLE,
            "the server is already handling its limit of " + maxConcurrent + " requests; retry shortly");
      }
      case DRAINING -> throw new HttpProblem(503, HttpProblem.TEMPORARILY_UNAVAILABLE,
          "the server is shutting down; send the request to another instance");
      default -> { }
    }
    String path = exchange.getRequestURI().getPath();
    switch (path) {
      case "/invocations":
        allow(exchange, "POST");
        return invocations(exchange);
      case "/health":
      case "/ping":
        allow(exchange, "GET");
        return health(exchange);
      case "/version":
        allow(exchange, "GET");
        return send(exchange, 200, JSON, json(ServiceStatus.version(service)));
      case "/metrics":
        allow(exchange, "GET");
        return send(exchange, 200, PrometheusText.CONTENT_TYPE, metricsText().getBytes(StandardCharsets.UTF_8));
      default:
        throw new HttpProblem(404, HttpProblem.ENDPOINT_NOT_FOUND,
            "no endpoint at '" + path + "'; the endpoints are " + ENDPOINTS);
    }
  }

  private static void allow(HttpExchange exchange, String method) {
    if (!exchange.getRequestMethod().equals(method)) {
      exchange.getResponseHeaders().set("Allow", method);
      throw new HttpProblem(405, HttpProblem.METHOD_NOT_ALLOWED,
          exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestURI().getPath() + "; use " + method);
    }
  }

  private int invocations(HttpExchange exchange) {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type != null && !type.toLowerCase(Locale.ROOT).startsWith(JSON)) {
      throw new HttpProblem(415, HttpProblem.UNSUPPORTED_MEDIA_TYPE,
          "Content-Type '" + type + "' is not accepted; send " + JSON);
    }
    List<Map<String, Object>> rows = InvocationRequest.parse(readBody(exchange));
    ObjectNode answer = PredictionJson.response(service.predict(rows));
    return send(exchange, 200, JSON, json(answer));
  }

  private int health(HttpExchange exchange) {
    return send(exchange, 200, JSON, json(ServiceStatus.health(service)));
  }

  private byte[] readBody(HttpExchange exchange) {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new HttpProblem(400, HttpProblem.MALFORMED_REQUEST, "Content-Length '" + declared + "' is not a number");
      }
      if (length > maxBodyBytes) {
        throw tooLarge(length + " bytes");
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
      if (body.length > maxBodyBytes) {
        throw tooLarge("more than " + maxBodyBytes + " bytes");
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpProblem tooLarge(String size) {
    return new HttpProblem(413, HttpProblem.REQUEST_TOO_LARGE,
        "the request body has " + size + ", over the limit of " + maxBodyBytes + " bytes; send fewer rows per request");
  }

  private String metricsText() {
    PrometheusText out = new PrometheusText();
    metrics.writeTo(out);
    ServiceStatus.writeMetrics(service, out);
    return out.toString();
  }

  private byte[] json(Object node) {
    try {
      return writer.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON answer", e);
    }
  }

  private int sendProblem(HttpExchange exchange, HttpProblem p) {
    ObjectNode body = CanonicalJson.object();
    body.put("error_code", p.errorCode());
    body.put("message", p.getMessage());
    try {
      return send(exchange, p.status(), JSON, json(body));
    } catch (UncheckedIOException e) {
      LOG.debug("client went away before the error answer: {}", e.getMessage());
      return p.status();
    }
  }

  private static int send(HttpExchange exchange, int status, String contentType, byte[] body) {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean noBody = body.length == 0 || exchange.getRequestMethod().equals("HEAD");
    try {
      exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        if (!noBody) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return status;
  }

  /** Configures and starts a {@link ScoringServer}. */
  public static final class Builder {
    private final ModelService service;
    private String host = "127.0.0.1";
    private int port = 8080;
    private int backlog = 128;
    private long maxBodyBytes = 1L << 20;
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int maxConcurrentRequests = 256;
    private Duration drainTimeout = Duration.ofSeconds(10);

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
      this.maxBodyBytes = positive("maxBodyBytes", bytes);
      return this;
    }

    /** The worker threads that answer requests (default: the processor count, at least 2). */
    public Builder threads(int threads) {
      this.threads = (int) positive("threads", threads);
      return this;
    }

    /** The most requests running or waiting for a thread at once (default 256); more get 503. */
    public Builder maxConcurrentRequests(int limit) {
      this.maxConcurrentRequests = (int) positive("maxConcurrentRequests", limit);
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

    private static long positive(String what, long value) {
      if (value < 1) {
        throw new InvalidInputException(what + " must be at least 1; got " + value);
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
      }
    }
  }
}
