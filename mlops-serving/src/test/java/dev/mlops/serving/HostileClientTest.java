package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clients no well-behaved library would be: slow ones, and ones whose requests are broken.
 * Each gets a JSON 4xx or a clean close, never a 500 and never a hang (every read has a
 * deadline), and the server keeps answering the next client.
 */
class HostileClientTest {
  private static final int TIMEOUT_MILLIS = 10_000;
  private static final String HEAD = "POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  private static final String ROW = "{\"dataframe_records\":[{\"x1\":1.0,\"x2\":1.0}]}";

  @TempDir static Path dir;
  private static ModelService service;
  private static ScoringServer server;
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void serve() {
    service = TestModels.service(dir, TestModels.DIAGONAL);
    server = ScoringServer.builder(service).port(0).threads(2).start();
  }

  @AfterAll
  static void stop() {
    server.close();
    service.close();
  }

  @AfterEach
  void stillServing() throws Exception {
    assertEquals(200, health().statusCode());
  }

  private static HttpResponse<String> health() throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("/health")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthAnswersWithin100msWhile50SlowClientsSendOneHeaderBytePerSecond() throws Exception {
    for (int i = 0; i < 20; i++) {
      health();                                   // warm: the bound below is about slow clients, not the JIT
    }
    List<Socket> slow = new ArrayList<>();
    ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
    try {
      for (int i = 0; i < 50; i++) {
        Socket s = new Socket("127.0.0.1", server.port());
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        slow.add(s);
      }
      drip.scheduleAtFixedRate(() -> slow.forEach(s -> {
        try {
          s.getOutputStream().write('a');
        } catch (IOException e) {
          // Checked below: every slow client must still be connected.
        }
      }), 0, 1, TimeUnit.SECONDS);
      Thread.sleep(1500);                           // every slow client has sent bytes at least twice
      long[] millis = new long[15];
      for (int i = 0; i < millis.length; i++) {
        long start = System.nanoTime();
        HttpResponse<String> r = health();
        millis[i] = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertEquals("serving", CanonicalJson.parse(r.body()).get("status").asText());
      }
      Arrays.sort(millis);
      // A correctness bound, not a speed measurement: the old server took 20 s here.
      assertTrue(millis[millis.length / 2] < 100, "median /health took " + millis[millis.length / 2] + " ms: " + Arrays.toString(millis));
      assertTrue(millis[millis.length - 1] < 2_000, "slowest /health took " + millis[millis.length - 1] + " ms");
      for (Socket s : slow) {
        s.setSoTimeout(1);
        assertFalse(answered(s), "a slow client is still sending its headers; it has no answer yet");
      }
    } finally {
      drip.shutdownNow();
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  /** Whether the server sent anything or closed; false when the read times out, as it must for a pending request. */
  private static boolean answered(Socket s) throws IOException {
    try {
      return s.getInputStream().read() != -2;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    }
  }

  @Test
  void aConnectionThatStallsInItsHeadersIsClosedAfterTheIdleTimeout() throws Exception {
    try (ScoringServer strict = ScoringServer.builder(service).port(0).idleTimeout(Duration.ofMillis(300)).start();
         Socket s = new Socket("127.0.0.1", strict.port())) {
      s.setSoTimeout(TIMEOUT_MILLIS);
      s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 1".getBytes(StandardCharsets.US_ASCII));
      RawHttp.Answer a = RawHttp.read(s.getInputStream(), false);
      assertTrue(a.closed() || a.status() == 408, "status " + a.status());
    }
  }

  @Test
  void aClientTricklingItsHeadersIsClosedAfterTheHeaderTimeoutThoughNeverIdle() throws Exception {
    try (ScoringServer strict = ScoringServer.builder(service).port(0).headerTimeout(Duration.ofMillis(300)).start();
         Socket s = new Socket("127.0.0.1", strict.port())) {
      s.setSoTimeout(50);
      OutputStream out = s.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
      boolean closed = false;
      while (!closed && System.nanoTime() < deadline) {
        try {
          out.write('a');                            // a byte every 50 ms: far within the idle timeout
          closed = s.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
          // nothing from the server yet
        } catch (IOException reset) {
          closed = true;
        }
      }
      assertTrue(closed, "the trickling client was closed within " + TIMEOUT_MILLIS + " ms");
    }
    try (ScoringServer strict = ScoringServer.builder(service).port(0).headerTimeout(Duration.ofMillis(300)).start();
         Socket s = new Socket("127.0.0.1", strict.port())) {
      s.setSoTimeout(TIMEOUT_MILLIS);
      Thread.sleep(900);                            // a connection that has not begun a request is left to the idle timeout
      s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals(200, RawHttp.read(s.getInputStream(), false).status());
    }
  }

  @Test
  void aBodyThatStopsArrivingIs408OrClosedAfterTheIdleTimeout() throws Exception {
    try (ScoringServer strict = ScoringServer.builder(service).port(0).idleTimeout(Duration.ofMillis(300)).start();
         Socket s = new Socket("127.0.0.1", strict.port())) {
      s.setSoTimeout(TIMEOUT_MILLIS);
      s.getOutputStream().write((HEAD + "Content-Length: 100\r\n\r\n{\"dataframe").getBytes(StandardCharsets.US_ASCII));
      RawHttp.Answer a = RawHttp.read(s.getInputStream(), false);
      assertTrue(a.closed() || a.status() == 408, "status " + a.status() + " " + a.text());
      if (!a.closed()) {
        assertJsonError(a);
      }
    }
  }

  static Stream<Arguments> malformed() {
    String headers = "a".repeat(1 << 20);
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    StringBuilder fewButTooMany = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      fewButTooMany.append("h").append(i).append(":\r\n");
    }
    return Stream.of(
        Arguments.of("a chunk size that is not hexadecimal", HEAD + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", Set.of(400)),
        Arguments.of("a chunk size beyond any length", HEAD + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n{}\r\n0\r\n\r\n",
            Set.of(400, 413)),
        Arguments.of("a chunked body cut off", HEAD + "Transfer-Encoding: chunked\r\n\r\n20\r\n{\"dataframe", Set.of(400)),
        Arguments.of("a body shorter than its length", HEAD + "Content-Length: 100\r\n\r\n" + ROW, Set.of(400)),
        Arguments.of("malformed JSON", HEAD + "Content-Length: 12\r\n\r\n{\"dataframe_", Set.of(400)),
        Arguments.of("a header of 1 MB", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + headers + "\r\n\r\n", Set.of(431)),
        Arguments.of("10,000 headers", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + many + "\r\n", Set.of(431)),
        Arguments.of("500 short headers", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + fewButTooMany + "\r\n", Set.of(431)),
        Arguments.of("a request line that is not HTTP", "GARBAGE\r\n\r\n", Set.of(400)),
        Arguments.of("an unknown HTTP version", "GET /health HTTP/7.1\r\nHost: 127.0.0.1\r\n\r\n", Set.of(400, 505)),
        Arguments.of("a negative length", HEAD + "Content-Length: -1\r\n\r\n" + ROW, Set.of(400)),
        Arguments.of("a length that is not a number", HEAD + "Content-Length: abc\r\n\r\n" + ROW, Set.of(400)),
        Arguments.of("two different lengths", HEAD + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n" + ROW, Set.of(400)),
        Arguments.of("a length and chunking", HEAD + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Set.of(400)),
        Arguments.of("an unknown transfer coding", HEAD + "Transfer-Encoding: gzip\r\n\r\n" + ROW, Set.of(400, 501)),
        Arguments.of("a control character in a header", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX: a\u0001b\r\n\r\n", Set.of(400)),
        Arguments.of("no Host header", "GET /health HTTP/1.1\r\n\r\n", Set.of(400)),
        Arguments.of("a path with a NUL", "GET /he%00alth HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", Set.of(400, 404)),
        Arguments.of("a path that climbs", "GET /../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", Set.of(400, 404)),
        Arguments.of("a URI of 100 KB", "GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", Set.of(414, 431)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedRequestGetsAJson4xxOrACleanClose(String what, String request, Set<Integer> statuses) throws Exception {
    RawHttp.Answer a = RawHttp.exchange(server.port(), request.getBytes(StandardCharsets.ISO_8859_1), TIMEOUT_MILLIS, false);
    if (statuses.contains(431) || what.startsWith("malformed") || what.startsWith("a chunk size that")) {
      assertFalse(a.closed(), what + " must be answered, not only closed");
    }
    if (!a.closed()) {
      assertTrue(statuses.contains(a.status()), what + ": status " + a.status() + " " + a.text());
      assertJsonError(a);
    }
  }

  @Test
  void aBrokenChunkSizeIsAnsweredWhileTheClientKeepsTheConnectionOpen() throws Exception {
    for (String size : List.of("zz", "ffffffffffffffff", "-1", "1;\u0001")) {
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.getOutputStream().write((HEAD + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n{}\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        RawHttp.Answer a = RawHttp.read(s.getInputStream(), false);
        assertTrue(a.status() == 400 || a.status() == 413, size + ": status " + a.status());
        assertJsonError(a);
      }
    }
  }

  static void assertJsonError(RawHttp.Answer a) {
    assertTrue(a.header("Content-Type").startsWith("application/json"), a.headers().toString());
    JsonNode error = CanonicalJson.parse(a.text());
    assertTrue(error.get("error_code").isTextual(), a.text());
    String message = error.get("message").asText();
    assertFalse(message.isBlank());
    for (String internal : List.of("Exception", "at org.", "Source:", "REDACTED", "jetty", "<html")) {
      assertFalse(message.contains(internal), "no internals in '" + message + "'");
    }
  }

  @Test
  void aRefusalAnsweredBeforeTheBodyArrivesClosesTheConnectionAndSaysSo() throws Exception {
    // The body is held back until the answer is in: the server cannot have read it, so the
    // connection cannot carry another request, and a keep-alive client must be told so.
    List<String> refused = List.of(
        "POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: " + ROW.length() + "\r\n\r\n",
        "PUT /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + ROW.length() + "\r\n\r\n",
        HEAD + "Content-Length: 1000000000\r\n\r\n",
        "POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (String request : refused) {
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        RawHttp.Answer a = RawHttp.read(s.getInputStream(), false);
        assertTrue(a.status() >= 400 && a.status() < 500, request + ": status " + a.status());
        assertJsonError(a);
        assertEquals("close", a.header("Connection"), request + ": " + a.headers());
      }
    }
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(TIMEOUT_MILLIS);
      s.getOutputStream().write(("GET /predict HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      RawHttp.Answer a = RawHttp.read(s.getInputStream(), false);
      assertEquals(404, a.status());
      assertTrue(a.header("Connection") == null || !a.header("Connection").equals("close"),
          "a refusal of a request without a body keeps the connection: " + a.headers());
    }
  }

  @Test
  void headOfHealthHasHeadersOnlyAndTheConnectionStaysUsable() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write("HEAD /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      RawHttp.Answer head = RawHttp.read(in, true);
      assertEquals(200, head.status());
      assertTrue(Integer.parseInt(head.header("Content-Length")) > 0, "HEAD says how long the GET answer is");
      RawHttp.Answer get = RawHttp.read(in, false);
      assertEquals(200, get.status(), "the HEAD answer carried no body bytes that would corrupt the next answer");
      assertEquals("serving", CanonicalJson.parse(get.text()).get("status").asText());
    }
  }

  @Test
  void connectionsBeyondTheLimitWaitAndAreServedOnceOthersClose() throws Exception {
    try (ScoringServer limited = ScoringServer.builder(service).port(0).maxConnections(2).start()) {
      Socket a = new Socket("127.0.0.1", limited.port());
      Socket b = new Socket("127.0.0.1", limited.port());
      try (Socket third = new Socket("127.0.0.1", limited.port())) {
        third.setSoTimeout(TIMEOUT_MILLIS);
        third.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        a.close();
        b.close();
        assertEquals(200, RawHttp.read(third.getInputStream(), false).status());
      }
    }
  }
}
