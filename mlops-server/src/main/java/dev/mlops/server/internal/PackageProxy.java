package dev.mlops.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.Digest;
import dev.mlops.tracking.internal.RestStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * This library's client's way to the registry's package files, {@code /api/2.0/mlops/packages/}:
 * PUT {@code <model>} registers the uploaded package as the model's next version (read and
 * verified by the registry before anything is recorded) and answers the version; GET
 * {@code <model>/<version>} streams the version's package after checking it against the digest
 * recorded when it was registered.
 */
public final class PackageProxy {
  /** The proxy's path prefix. */
  public static final String PREFIX = RestStore.PACKAGES_PATH;

  private final RegistryApi registry;
  private final ObjectMapper json;
  private final long maxBytes;

  /**
   * @param registry the registry endpoints, which register and verify
   * @param json the mapper for answers
   * @param maxBytes the largest package a PUT may send
   */
  public PackageProxy(RegistryApi registry, ObjectMapper json, long maxBytes) {
    this.registry = registry;
    this.json = json;
    this.maxBytes = maxBytes;
  }

  /** The prefix under which a run's package is uploaded and recorded: {@code <run id>/<name>}. */
  public static final String LOGGED_PREFIX = RestStore.LOGGED_MODELS_PATH;

  /** Answers a PUT of a run's package; {@code rest} is the path after {@link #LOGGED_PREFIX}. */
  void handleLogged(String method, String rest, Request request, Response response) {
    int slash = rest.indexOf('/');
    if (!method.equals("PUT") || slash < 1) {
      throw new ApiException(ErrorCode.BAD_REQUEST, method.equals("PUT") ? 400 : 405, "log a run's package with PUT "
          + LOGGED_PREFIX + "<run id>/<name>");
    }
    Path upload = ArtifactProxy.receive(request, maxBytes);
    try {
      answer(response, registry.logPackage(rest.substring(0, slash), rest.substring(slash + 1), upload));
    } finally {
      ArtifactProxy.deleteQuietly(upload);
    }
  }

  private void answer(Response response, com.fasterxml.jackson.databind.node.ObjectNode body) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new ApiException(ErrorCode.INTERNAL_ERROR, "the answer could not be written");
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "the client went away before the answer");
    }
  }

  /** The model a path after {@link #PREFIX} names. */
  static String model(String rest) {
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** Answers one call; {@code rest} is the path after {@link #PREFIX}. */
  void handle(String method, String rest, Request request, Response response) {
    String model = model(rest);
    switch (method) {
      case "PUT" -> {
        if (!model.equals(rest)) {
          throw ApiException.invalid("path", "register a package with PUT " + PREFIX + "<model name>");
        }
        Path upload = ArtifactProxy.receive(request, maxBytes);
        try {
          answer(response, registry.registerFile(model, upload));
        } finally {
          ArtifactProxy.deleteQuietly(upload);
        }
      }
      case "GET" -> {
        String version = rest.substring(Math.min(rest.length(), model.length() + 1));
        int number;
        try {
          number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
          throw ApiException.invalid("version", "download a package with GET " + PREFIX + "<model name>/<version>;"
              + " got '" + ApiRequest.abbreviate(rest) + "'");
        }
        Path file = registry.verifiedPackage(model, number);
        try {
          ArtifactProxy.sendFile(response, file, Digest.ofFile(file), Files.size(file));
        } catch (IOException e) {
          throw new ApiException(ErrorCode.INTERNAL_ERROR, "the package of version " + number + " could not be read");
        }
      }
      default -> {
        response.getHeaders().put(HttpHeader.ALLOW, "GET, PUT");
        throw new ApiException(ErrorCode.BAD_REQUEST, 405, "the package path answers GET and PUT, not " + method);
      }
    }
  }
}
