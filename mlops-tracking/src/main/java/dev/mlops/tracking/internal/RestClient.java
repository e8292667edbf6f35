package dev.mlops.tracking.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.ConflictException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to a tracking server speaking MLflow's REST API: one keep-alive {@link HttpClient} per
 * store, retries with exponential backoff and full jitter on connection errors, 429 and 5xx
 * (but not 501), for at most {@link #RETRY_LIMIT}, and MLflow's error bodies turned into the
 * library's exceptions. A credential is sent on every call and never appears in a message.
 */
public final class RestClient {
  /** How long a call is retried before the server counts as unavailable. */
  public static final Duration RETRY_LIMIT = Duration.ofSeconds(60);
  /** The largest answer read, in bytes. */
  public static final int MAX_ANSWER_BYTES = 64 << 20;
  // An error body is a short JSON object; more is cut off.
  private static final int MAX_ERROR_BYTES = 64 << 10;

  private static final Logger LOG = LoggerFactory.getLogger(RestClient.class);
  private static final long FIRST_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final URI base;
  private final String authorization;
  private final HttpClient http;
  private final ObjectMapper json = WireJson.mapper();

  /**
   * @param base the server, such as {@code http://host:5000}
   * @param authorizationOrNull the Authorization header value, or null
   */
  public RestClient(URI base, String authorizationOrNull) {
    this.base = base;
    this.authorization = authorizationOrNull;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /** The mapper for bodies. */
  public ObjectMapper json() {
    return json;
  }

  /** The server, for messages. */
  public URI base() {
    return base;
  }

  /** A GET of an API path ({@code experiments/get}) with query parameters. */
  public JsonNode get(String path, Map<String, String> query) {
    return get(path, query, Map.of());
  }

  /** A GET of an API path with query parameters and extra headers. */
  public JsonNode get(String path, Map<String, String> query, Map<String, String> headers) {
    StringBuilder q = new StringBuilder();
    query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    URI uri = base.resolve("/api/2.0/mlflow/" + path + q);
    return call(path, () -> {
      HttpRequest.Builder b = request(uri).GET();
      headers.forEach(b::header);
      return b;
    });
  }

  /** A POST of a JSON body to an API path, with extra headers. */
  public JsonNode post(String path, ObjectNode body, Map<String, String> headers) {
    return send("POST", path, body, headers);
  }

  /** A call of an API path by this method (MLflow's registry also uses PATCH and DELETE) with a JSON body. */
  public JsonNode send(String method, String path, ObjectNode body, Map<String, String> headers) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
    return send(method, path, bytes, headers);
  }

  /** A POST of a body already written as JSON bytes, with extra headers. */
  public JsonNode postJson(String path, byte[] body, Map<String, String> headers) {
    return send("POST", path, body, headers);
  }

  private JsonNode send(String method, String path, byte[] bytes, Map<String, String> headers) {
    URI uri = base.resolve("/api/2.0/mlflow/" + path);
    return call(path, () -> {
      HttpRequest.Builder b = request(uri).header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
      headers.forEach(b::header);
      return b;
    });
  }

  /** A PUT of a file to a server path ({@code /api/2.0/…}), answered with JSON. */
  public JsonNode putFile(String serverPath, java.nio.file.Path file) {
    URI uri = base.resolve(serverPath);
    return call("upload of " + file.getFileName(), () -> {
      try {
        return request(uri).PUT(HttpRequest.BodyPublishers.ofFile(file));
      } catch (java.io.FileNotFoundException e) {
        throw new NotFoundException("no file '" + file + "' to upload; check the path");
      }
    });
  }

  /**
   * A GET of a server path streamed into {@code target} through a temporary file beside it, so
   * that a broken download never leaves a partial file under the target's name.
   */
  public void download(String serverPath, java.nio.file.Path target) {
    URI uri = base.resolve(serverPath);
    call("download of " + serverPath, () -> request(uri).GET(), body -> {
      java.nio.file.Path parent = target.toAbsolutePath().getParent();
      java.nio.file.Files.createDirectories(parent);
      java.nio.file.Path tmp = java.nio.file.Files.createTempFile(parent, ".download-", ".part");
      try {
        java.nio.file.Files.copy(body, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } finally {
        java.nio.file.Files.deleteIfExists(tmp);
      }
      return null;
    });
  }

  /** A PUT of a file to the artifact proxy. */
  public void putArtifact(String proxyPath, java.nio.file.Path file) {
    putFile(RestStore.ARTIFACTS_PROXY_PATH + proxyPath, file);
  }

  /** A DELETE of a file or folder through the artifact proxy. */
  public void deleteArtifact(String proxyPath) {
    URI uri = base.resolve(RestStore.ARTIFACTS_PROXY_PATH + proxyPath);
    call("artifact delete", () -> request(uri).DELETE());
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b;
  }

  /** Reads a 200 answer's body. */
  @FunctionalInterface
  private interface BodyReader<T> {
    T read(InputStream body) throws IOException;
  }

  private JsonNode call(String what, Supplier<HttpRequest.Builder> request) {
    return call(what, request, body -> {
      byte[] bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
      return bytes.length == 0 ? json.createObjectNode() : parse(bytes);
    });
  }

  private <T> T call(String what, Supplier<HttpRequest.Builder> request, BodyReader<T> onOk) {
    long deadline = System.nanoTime() + RETRY_LIMIT.toNanos();
    long backoff = FIRST_BACKOFF_MS;
    for (int attempt = 1; ; attempt++) {
      String problem;
      try {
        HttpResponse<InputStream> r = http.send(request.get().build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = r.statusCode();
        try (InputStream body = r.body()) {
          if (status == 200) {
            return onOk.read(body);
          }
          byte[] error = body.readNBytes(MAX_ERROR_BYTES);
          String kind = r.headers().firstValue(RestStore.ERROR_KIND_HEADER).orElse("");
          if (status != 429 && (status < 500 || status == 501) || kind.equals(RestStore.STORE_FAILED)) {
            throw error(what, status, error, kind);
          }
        }
        problem = "HTTP " + status;
      } catch (IOException e) {
        problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted while calling the tracking server " + base);
      }
      if (System.nanoTime() > deadline) {
        throw new StoreUnavailableException("the tracking server " + base + " stayed unreachable or busy for "
            + RETRY_LIMIT.toSeconds() + " s (" + attempt + " attempts on " + what + "); last: " + problem);
      }
      LOG.debug("{} on {} failed ({}), attempt {}; retrying", what, base, problem, attempt);
      sleep(ThreadLocalRandom.current().nextLong(backoff + 1));
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }

  private JsonNode parse(byte[] body) {
    if (body.length > MAX_ANSWER_BYTES) {
      throw new StoreUnavailableException("the tracking server " + base + " answered " + body.length
          + " bytes; the limit is " + MAX_ANSWER_BYTES);
    }
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new StoreUnavailableException("the tracking server " + base + " answered with something that is not"
          + " JSON; check that the URI points at a tracking server");
    }
  }

  private MlopsException error(String what, int status, byte[] body, String kind) {
    String code = "";
    String message = "HTTP " + status;
    try {
      JsonNode error = json.readTree(body);
      code = error.path("error_code").asText("");
      message = error.path("message").asText(message);
    } catch (IOException e) {
      // not an MLflow error body: the status says enough
    }
    return switch (status) {
      case 404 -> new NotFoundException(message);
      case 401 -> new InvalidInputException("the tracking server " + base + " needs credentials: set"
          + " MLOPS_TRACKING_TOKEN (or MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and _PASSWORD)");
      case 403 -> new InvalidInputException("the tracking server " + base + " refused " + what + " for these"
          + " credentials: " + message);
      default -> code.equals("RESOURCE_ALREADY_EXISTS") || kind.equals(RestStore.CONFLICT)
          ? new ConflictException(message)
          : status == 413 || status < 500 ? new InvalidInputException(message)
          : new StoreUnavailableException("the tracking server " + base + " cannot " + what + ": " + message);
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while waiting to retry a call to the tracking server");
    }
  }

  /** An optional answer: empty when the server says the thing does not exist. */
  public static Optional<JsonNode> unlessMissing(Supplier<JsonNode> call) {
    try {
      return Optional.of(call.get());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }
}
