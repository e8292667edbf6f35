package dev.mlops.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A JSON client for the server under test, over java.net.http on loopback. */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param text the body as text
   * @param response the whole response
   */
  record Answer(int status, String text, HttpResponse<String> response) {
    JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status + "): " + text, e);
      }
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  Api(URI base) {
    this.base = base;
  }

  Answer post(String path, String body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Answer get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
  }

  Answer send(String method, String path, HttpRequest.BodyPublisher body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).method(method, body));
  }

  /** A call with a text body (none when null) and an Authorization header (none when null). */
  Answer call(String method, String path, String body, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b);
  }

  Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** POSTs and returns the JSON answer, failing unless it is 200. */
  JsonNode ok(String path, String body) {
    Answer a = post(path, body);
    if (a.status() != 200) {
      throw new AssertionError(path + " answered " + a.status() + ": " + a.text());
    }
    return a.json();
  }
}
