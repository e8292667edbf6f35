package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the scoring server with raw HTTP/1.1 requests over loopback: request lines, header
 * fields and bodies drawn from valid parts, their near misses and random bytes (methods, paths,
 * versions, framing headers with contradicting or absurd values, bodies that are valid JSON or
 * CSV, mutated, truncated, chunk-framed with good and bad sizes, or noise). Whatever is sent, the
 * answer is a well-formed 2xx or 4xx (JSON, except the Prometheus text of {@code /metrics}), or a
 * clean close; never a 500, never a hang (every read has a deadline), and the server answers
 * {@code /health} after every request. The one 5xx allowed is 505, HTTP's own answer to a
 * version it does not speak.
 */
class HttpFuzzProperties {
  private static final int TIMEOUT_MILLIS = 10_000;
  private static final String ROW = "{\"dataframe_records\":[{\"x1\":1.5,\"x2\":-0.5}]}";
  private static Path dir;
  private static ModelService service;
  private static ScoringServer server;
  private static final byte[] HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);

  @BeforeContainer
  static void serve() throws Exception {
    dir = Files.createTempDirectory("mlops-fuzz-");
    service = TestModels.service(dir, TestModels.DIAGONAL);
    server = ScoringServer.builder(service).port(0).threads(2).maxBodyBytes(4096).idleTimeout(Duration.ofSeconds(5)).start();
  }

  @AfterContainer
  static void stop() throws Exception {
    server.close();
    service.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<byte[]> requests() {
    Arbitrary<String> method = Arbitraries.of("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "CONNECT",
        "get", "G\u0000T", "", "POST POST", "PRI");
    Arbitrary<String> path = Arbitraries.oneOf(
        Arbitraries.of("/invocations", "/health", "/ping", "/version", "/metrics", "/", "*", "/invocations?format=x",
            "/%zz", "//invocations", "/invocations/../health", "http://127.0.0.1/health", "/\u00ff", "", "/a b",
            "/invocations#x", "/%2e%2e/%2e%2e/etc"),
        Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30).map(s -> "/" + s));
    Arbitrary<String> version = Arbitraries.of("HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1 x",
        "HTTP/1.", "", "http/1.1", "HTTP/0.9");
    Arbitrary<String> name = Arbitraries.of("Host", "Content-Type", "Content-Length", "Transfer-Encoding", "Connection",
        "Expect", "X-Junk", "Content-Type ", " Host", "Host\u0000", "Accept", "Content-Encoding", "Trailer");
    Arbitrary<String> value = Arbitraries.oneOf(
        Arbitraries.of("127.0.0.1", "application/json", "text/csv", "application/jsonx", "text/csv; charset=utf-8",
            "chunked", "gzip, chunked", "chunked, gzip", "identity", "-1", "0", "5", "40", "999999999999", "1e3", " 12",
            "close", "keep-alive", "100-continue", "", "*/*", "\u0001\u007f"),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40),
        Arbitraries.strings().ofMaxLength(10));
    Arbitrary<List<String>> headers = Combinators.combine(name, value).as((n, v) -> n + ": " + v).list().ofMaxSize(8);
    Arbitrary<Boolean> withHost = Arbitraries.of(true, true, true, false);
    Arbitrary<String> newline = Arbitraries.of("\r\n", "\r\n", "\r\n", "\n");
    Arbitrary<byte[]> body = bodies();
    return Combinators.combine(method, path, version, headers, withHost, newline, body)
        .as((m, p, v, h, host, nl, b) -> {
          StringBuilder head = new StringBuilder().append(m).append(' ').append(p).append(' ').append(v).append(nl);
          if (host) {
            head.append("Host: 127.0.0.1").append(nl);
          }
          for (String line : h) {
            head.append(line).append(nl);
          }
          head.append(nl);
          byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
          byte[] all = new byte[start.length + b.length];
          System.arraycopy(start, 0, all, 0, start.length);
          System.arraycopy(b, 0, all, start.length, b.length);
          return all;
        });
  }

  private static Arbitrary<byte[]> bodies() {
    Arbitrary<String> valid = Arbitraries.of(ROW, "{\"dataframe_split\":{\"columns\":[\"x1\",\"x2\"],\"data\":[[1,2]]}}",
        "{\"inputs\":{\"x1\":[1.0],\"x2\":[2.0]}}", "{\"instances\":[{\"x1\":1e400,\"x2\":1}]}", "x1,x2\n1,2\n",
        "{\"dataframe_records\":[{\"x_1\":1.0}]}", "[" .repeat(3000), "");
    Arbitrary<byte[]> mutated = Combinators.combine(valid, Arbitraries.integers().between(0, 200), Arbitraries.bytes())
        .as((text, at, b) -> {
          byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
          if (bytes.length == 0) {
            return bytes;
          }
          bytes[at % bytes.length] = b;
          return bytes;
        });
    Arbitrary<byte[]> truncated = Combinators.combine(valid, Arbitraries.integers().between(0, 100))
        .as((text, n) -> text.substring(0, Math.min(n, text.length())).getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> chunked = Combinators.combine(valid,
            Arbitraries.oneOf(Arbitraries.of("zz", "ffffffffffffffff", "-1", "0", "1;ext", "FFFF", ""),
                Arbitraries.integers().between(0, 300).map(Integer::toHexString)),
            Arbitraries.of("0\r\n\r\n", "", "0\r\nX-T: 1\r\n\r\n", "zz\r\n"))
        .as((text, size, end) -> (size + "\r\n" + text + "\r\n" + end).getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<byte[]> large = Arbitraries.integers().between(4000, 6000).map(n -> ("{\"dataframe_records\":[" + "1,".repeat(n / 2)
        + "1]}").getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(valid.map(s -> s.getBytes(StandardCharsets.UTF_8)), mutated, truncated, chunked, noise, large);
  }

  @Property(tries = 1500, seed = "20261201")
  void everyRequestGetsAWellFormed2xxOr4xxOrACleanClose(@ForAll("requests") byte[] request) throws Exception {
    String shown = new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1);
    boolean head = shown.startsWith("HEAD ");
    RawHttp.Answer a = RawHttp.exchange(server.port(), request, TIMEOUT_MILLIS, head);
    if (!a.closed()) {
      int s = a.status();
      assertTrue((s >= 200 && s < 300) || (s >= 400 && s < 500) || s == 505, "status " + s + " for " + shown + "\n" + a.text());
      boolean metrics = s < 300 && shown.contains(" /metrics ");
      if (!head && !metrics && !(s == 200 && a.body().length == 0)) {
        String type = a.header("Content-Type");
        assertTrue(type != null && type.startsWith("application/json"), "JSON for " + shown + ": " + a.headers());
        JsonNode json = CanonicalJson.parse(a.text());
        if (s >= 400) {
          assertTrue(json.get("error_code").isTextual() && json.get("message").isTextual(), a.text());
        }
      }
    }
    // A connection of its own for each look, closed after it, so that what is checked is the server
    // alone, not the state a client's pooled keep-alive connection carries from earlier looks.
    RawHttp.Answer health = RawHttp.exchange(server.port(), HEALTH, TIMEOUT_MILLIS, false);
    assertEquals(200, health.status(), "the server keeps serving after " + shown + "\n" + health.text());
  }

  @Provide
  Arbitrary<byte[]> bodyBytes() {
    return bodies();
  }

  @Property(tries = 3000, seed = "20261202")
  void aBodyGivesRowsOrA4xxAndRowsPredictOrAreRefusedAsInvalid(@ForAll("bodyBytes") byte[] body) {
    List<List<Map<String, Object>>> parsed = new ArrayList<>();
    for (boolean csv : new boolean[] {false, true}) {
      try {
        parsed.add(csv ? InvocationRequest.parseCsv(body, service.signature()) : InvocationRequest.parse(body));
      } catch (HttpProblem p) {
        assertTrue(p.status() >= 400 && p.status() < 500 && !p.getMessage().isBlank(), p.getMessage());
      }
    }
    for (List<Map<String, Object>> rows : parsed) {
      try {
        assertEquals(rows.size(), service.predict(rows).size());
      } catch (InvalidInputException e) {
        assertTrue(!e.getMessage().isBlank());
      }
    }
  }
}
