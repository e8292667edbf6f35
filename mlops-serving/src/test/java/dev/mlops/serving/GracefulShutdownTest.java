package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests held open by a client that sends half a body: closing the server lets them finish
 * while turning new ones away, and the concurrency limit turns away requests beyond it.
 */
class GracefulShutdownTest {
  private static final String BODY = "{\"dataframe_records\":[{\"x1\":2.0,\"x2\":0.0}]}";

  @TempDir Path dir;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ModelService service() {
    FolderModelSource source = new FolderModelSource(dir);
    source.register("clf", TestModels.pkg("clf", "a", TestModels.RISING));
    source.setAlias("clf", "champion", 1);
    return ModelService.builder(source, "models:/clf@champion").pollEvery(Duration.ZERO).build();
  }

  /** Opens a connection and sends a request's headers and the first half of its body. */
  private static Socket startSlowRequest(ScoringServer server) throws IOException {
    Socket slow = new Socket("127.0.0.1", server.port());
    byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
    OutputStream out = slow.getOutputStream();
    // The request's handler starts once the headers are in, then waits for the rest of the body.
    out.write(("POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
        + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes, 0, bytes.length / 2);
    out.flush();
    return slow;
  }

  /** Sends the rest of the body and reads the answer. */
  private static String finishSlowRequest(Socket slow) throws IOException {
    byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
    slow.getOutputStream().write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
    slow.getOutputStream().flush();
    return readResponse(slow.getInputStream());
  }

  @Test
  void requestsBeyondTheConcurrencyLimitGet503WithRetryAfter() throws Exception {
    try (ModelService service = service();
         ScoringServer server = ScoringServer.builder(service).port(0).threads(1).maxConcurrentRequests(1).start();
         Socket slow = startSlowRequest(server)) {
      HttpResponse<String> refused = awaitStatus(server.uri(), "/version", 503);
      JsonNode error = CanonicalJson.parse(refused.body());
      assertEquals("TEMPORARILY_UNAVAILABLE", error.get("error_code").asText());
      assertTrue(error.get("message").asText().contains("limit of 1 requests"), refused.body());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(finishSlowRequest(slow).startsWith("HTTP/1.1 200"));
      awaitStatus(server.uri(), "/version", 200);
    }
  }

  @Test
  void aRequestRunningWhenTheServerClosesIsAnsweredAndNewOnesGet503() throws Exception {
    try (ModelService service = service()) {
      ScoringServer server = ScoringServer.builder(service).port(0).drainTimeout(Duration.ofSeconds(60)).start();
      int port = server.port();
      try (Socket slow = startSlowRequest(server)) {
        awaitInFlight(server, 2);
        // A closing server refuses uri(), so the address is taken before close starts.
        URI address = server.uri();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        HttpResponse<String> refused = awaitStatus(address, "/health", 503);
        JsonNode error = CanonicalJson.parse(refused.body());
        assertEquals("TEMPORARILY_UNAVAILABLE", error.get("error_code").asText());
        assertTrue(error.get("message").asText().contains("shutting down"), refused.body());

        String answer = finishSlowRequest(slow);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.contains("{\"predictions\":[\"pos\"],"), answer);
        closing.get();
      }
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
      assertThrows(IllegalStateException.class, server::port, "a closed server says so");
      assertThrows(IllegalStateException.class, server::uri);
    }
  }

  private void awaitInFlight(ScoringServer server, int n) throws Exception {
    String gauge = "mlops_http_requests_in_flight{port=\"" + server.port() + "\"} " + n + ".0\n";
    for (int i = 0; i < 3000; i++) {
      String metrics = client.send(HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      if (metrics.contains(gauge)) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the slow request never started");
  }

  private HttpResponse<String> awaitStatus(URI server, String path, int status) throws Exception {
    for (int i = 0; i < 3000; i++) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == status) {
        return r;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(path + " never answered " + status);
  }

  /** Reads one HTTP response with a Content-Length body. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the connection closed after " + head);
      }
      head.append((char) c);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
