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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing the server turns new requests away and lets the running ones finish. */
class GracefulShutdownTest {
  @TempDir Path dir;

  @Test
  void aRequestRunningWhenTheServerClosesIsAnsweredAndNewOnesGet503() throws Exception {
    FolderModelSource source = new FolderModelSource(dir);
    source.register("clf", TestModels.pkg("clf", "a", TestModels.RISING));
    source.setAlias("clf", "champion", 1);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (ModelService service = ModelService.builder(source, "models:/clf@champion").pollEvery(Duration.ZERO).build()) {
      ScoringServer server = ScoringServer.builder(service).port(0).drainTimeout(Duration.ofSeconds(60)).start();
      String body = "{\"dataframe_records\":[{\"x1\":2.0,\"x2\":0.0}]}";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      int half = bytes.length / 2;
      try (Socket slow = new Socket("127.0.0.1", server.port())) {
        OutputStream out = slow.getOutputStream();
        // The request's handler starts once the headers are in, then waits for the rest of the body.
        out.write(("POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
            + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, 0, half);
        out.flush();
        awaitInFlight(client, server, 2);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        HttpResponse<String> refused = awaitRefusal(client, server);
        JsonNode error = CanonicalJson.parse(refused.body());
        assertEquals("TEMPORARILY_UNAVAILABLE", error.get("error_code").asText());
        assertTrue(error.get("message").asText().contains("shutting down"), refused.body());

        out.write(bytes, half, bytes.length - half);
        out.flush();
        String answer = readResponse(slow.getInputStream());
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.endsWith("\"predictions\":[\"pos\"],\"scores\":" + answer.substring(answer.indexOf("\"scores\":") + 9)), answer);
        closing.get();
      }
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", server.port()).close());
    }
  }

  private static void awaitInFlight(HttpClient client, ScoringServer server, int n) throws Exception {
    String gauge = "mlops_http_requests_in_flight " + n + "\n";
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

  private static HttpResponse<String> awaitRefusal(HttpClient client, ScoringServer server) throws Exception {
    for (int i = 0; i < 3000; i++) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 503) {
        return r;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the server never started draining");
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
