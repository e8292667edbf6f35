package dev.mlops.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.InvalidInputException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the scoring server's endpoints on Jetty's core API. A request is admitted (or turned
 * away with 503) before anything else; the body of {@code POST /invocations} is read without
 * holding a thread, bounded by the body limit; the rows are predicted on the thread that
 * completed the body; every answer is JSON except the Prometheus text of {@code /metrics}.
 * Every request is counted once, under its endpoint and status, when its answer is written.
 */
final class ScoringHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringHandler.class);
  static final String JSON = "application/json";
  static final String CSV = "text/csv";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final ModelService service;
  private final Admission admission;
  private final ServingMetrics metrics;
  private final Optional<PrometheusMeterRegistry> scrape;
  private final long maxBodyBytes;
  private final int maxHeaderCount;
  private final int maxConcurrent;
  private final ObjectWriter writer = CanonicalJson.writer();

  ScoringHandler(ModelService service, Admission admission, ServingMetrics metrics, Optional<PrometheusMeterRegistry> scrape,
      long maxBodyBytes, int maxHeaderCount, int maxConcurrent) {
    this.service = service;
    this.admission = admission;
    this.metrics = metrics;
    this.scrape = scrape;
    this.maxBodyBytes = maxBodyBytes;
    this.maxHeaderCount = maxHeaderCount;
    this.maxConcurrent = maxConcurrent;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Answer answer = new Answer(request, response, callback);
    guarded(answer, () -> dispatch(answer));
    return true;
  }

  /** Runs one step of a request and turns whatever it throws into the answer. */
  private void guarded(Answer answer, Runnable step) {
    try {
      step.run();
    } catch (HttpProblem p) {
      answer.problem(p);
    } catch (InvalidInputException e) {
      // The predictor's signature checks: a missing required input, a value of the wrong type.
      answer.problem(new HttpProblem(422, HttpProblem.INVALID_PARAMETER_VALUE, e.getMessage()));
    } catch (RuntimeException e) {
      if (e instanceof IllegalStateException && service.isClosed()) {
        answer.problem(new HttpProblem(503, HttpProblem.TEMPORARILY_UNAVAILABLE,
            "the model service is closed; send the request to another instance"));
        return;
      }
      LOG.error("request {} {} failed", answer.request.getMethod(), answer.endpoint.tag(), e);
      answer.problem(new HttpProblem(500, HttpProblem.INTERNAL_ERROR,
          "the server failed to answer (" + e.getClass().getSimpleName() + "); the error is in the server's log"));
    }
  }

  private void dispatch(Answer answer) {
    if (answer.request.getHeaders().size() > maxHeaderCount) {
      throw new HttpProblem(431, HttpProblem.REQUEST_HEADERS_TOO_LARGE, "the request has " + answer.request.getHeaders().size()
          + " header fields, over the limit of " + maxHeaderCount + "; send fewer headers");
    }
    switch (admission.enter()) {
      case OVERLOADED -> {
        answer.response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        throw new HttpProblem(503, HttpProblem.TEMPORARILY_UNAVAILABLE,
            "the server is already handling its limit of " + maxConcurrent + " requests; retry shortly");
      }
      case DRAINING -> throw new HttpProblem(503, HttpProblem.TEMPORARILY_UNAVAILABLE,
          "the server is shutting down; send the request to another instance");
      default -> answer.admitted = true;
    }
    Endpoint endpoint = answer.endpoint;
    allow(answer, endpoint);
    switch (endpoint) {
      case INVOCATIONS -> invocations(answer);
      case HEALTH, PING -> answer.json(200, ServiceStatus.health(service));
      case VERSION -> answer.json(200, ServiceStatus.version(service));
      case METRICS -> answer.send(200, PROMETHEUS_TEXT, metricsText().getBytes(StandardCharsets.UTF_8));
      default -> throw new HttpProblem(404, HttpProblem.ENDPOINT_NOT_FOUND,
          "no endpoint at '" + printablePath(answer.request) + "'; the endpoints are " + Endpoint.LIST);
    }
  }

  private static void allow(Answer answer, Endpoint endpoint) {
    if (endpoint == Endpoint.OTHER) {
      return;
    }
    String method = answer.request.getMethod();
    boolean get = endpoint.method().equals("GET");
    if (!method.equals(endpoint.method()) && !(get && method.equals("HEAD"))) {
      String allowed = get ? "GET, HEAD" : endpoint.method();
      answer.response.getHeaders().put(HttpHeader.ALLOW, allowed);
      throw new HttpProblem(405, HttpProblem.METHOD_NOT_ALLOWED,
          HttpProblem.printable(method) + " is not allowed on " + endpoint.tag() + "; use " + allowed);
    }
  }

  private String metricsText() {
    return scrape.orElseThrow(() -> new HttpProblem(404, HttpProblem.ENDPOINT_NOT_FOUND,
        "this server's metrics go to the host's meter registry, which is not a Prometheus one; scrape that registry, "
            + "or give the server a PrometheusMeterRegistry (or a composite holding one)")).scrape();
  }

  private void invocations(Answer answer) {
    boolean csv = mediaType(answer.request);
    long declared = answer.request.getLength();
    if (declared > maxBodyBytes) {
      throw BodyReader.tooLarge(maxBodyBytes);
    }
    BodyReader.read(answer.request, maxBodyBytes, new BodyReader.Outcome() {
      @Override
      public void body(byte[] bytes) {
        answer.bodyRead = true;
        guarded(answer, () -> score(answer, bytes, csv));
      }

      @Override
      public void refused(HttpProblem problem) {
        answer.problem(problem);
      }

      @Override
      public void lost(Throwable failure) {
        answer.lost(failure);
      }
    });
  }

  /** Whether the body is CSV (otherwise JSON); refuses any other media type with 415. */
  private static boolean mediaType(Request request) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type == null) {
      return false;
    }
    int semicolon = type.indexOf(';');
    String base = (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    if (base.equals(JSON)) {
      return false;
    }
    if (base.equals(CSV)) {
      return true;
    }
    throw new HttpProblem(415, HttpProblem.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type '" + HttpProblem.printable(type) + "' is not accepted; send " + JSON + " or " + CSV);
  }

  private void score(Answer answer, byte[] body, boolean csv) {
    Fields query = Request.extractQueryParameters(answer.request);
    boolean explain = flag(query, "explain");
    int top = explain ? top(query) : 0;
    List<Map<String, Object>> rows = csv ? InvocationRequest.parseCsv(body, service.signature()) : InvocationRequest.parse(body);
    answer.json(200, explain ? PredictionJson.explained(service.explain(rows), top)
        : PredictionJson.response(service.predict(rows)));
  }

  /** A {@code true}/{@code false} query parameter, false when absent. */
  private static boolean flag(Fields query, String name) {
    String v = query.getValue(name);
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.equals("true")) {
      return true;
    }
    throw new HttpProblem(400, HttpProblem.INVALID_PARAMETER_VALUE,
        "query parameter '" + name + "' must be true or false; got '" + HttpProblem.printable(v) + "'");
  }

  /** How many contributions per row an explanation lists: {@code top}, 1 to 1000, default 5. */
  private static int top(Fields query) {
    String v = query.getValue("top");
    if (v == null) {
      return PredictionJson.DEFAULT_TOP;
    }
    try {
      int k = Integer.parseInt(v);
      if (k >= 1 && k <= PredictionJson.MAX_TOP) {
        return k;
      }
    } catch (NumberFormatException e) {
      // refused below, with the value
    }
    throw new HttpProblem(400, HttpProblem.INVALID_PARAMETER_VALUE, "query parameter 'top' must be a whole number from 1 to "
        + PredictionJson.MAX_TOP + "; got '" + HttpProblem.printable(v) + "'");
  }

  private static String printablePath(Request request) {
    String path = request.getHttpURI().getPath();
    return path == null ? "" : HttpProblem.printable(path);
  }

  /** One request's answer: written once, counted once, its admission left once. */
  private final class Answer {
    final Request request;
    final Response response;
    final Callback callback;
    final Endpoint endpoint;
    final long start = System.nanoTime();
    final AtomicBoolean done = new AtomicBoolean();
    boolean admitted;
    boolean bodyRead;

    Answer(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.endpoint = Endpoint.of(request.getHttpURI().getPath());
      metrics.started();
    }

    void json(int status, Object node) {
      byte[] body;
      try {
        body = writer.writeValueAsBytes(node);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a JSON answer", e);
      }
      send(status, JSON, body);
    }

    void problem(HttpProblem p) {
      if (!bodyRead && mayHaveBody()) {
        // a refusal before the body is read (a 413, a 415, a 405, a 503) leaves its bytes unread,
        // or still on the way, so the connection cannot carry another request: say so, or a
        // keep-alive client sends its next request into a socket the server is closing
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      }
      send(p.status(), JSON, ProblemJson.bytes(p));
    }

    void send(int status, String contentType, byte[] body) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      ByteBuffer content = request.getMethod().equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body);
      response.write(true, content, Callback.from(() -> {
        finish(status);
        callback.succeeded();
      }, failure -> {
        finish(0);
        callback.failed(failure);
      }));
    }

    void lost(Throwable failure) {
      if (done.compareAndSet(false, true)) {
        LOG.debug("client went away: {}", failure.toString());
        finish(0);
        callback.failed(failure);
      }
    }

    private boolean mayHaveBody() {
      return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    private void finish(int status) {
      if (admitted) {
        admission.leave();
      }
      metrics.finished(endpoint, status, System.nanoTime() - start);
    }
  }
}
