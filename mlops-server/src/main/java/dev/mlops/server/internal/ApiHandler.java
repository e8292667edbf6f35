package dev.mlops.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.server.Users;
import dev.mlops.tracking.internal.RestStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The server's one Jetty handler: routes MLflow's JSON endpoints and the artifact proxy, reads
 * each JSON body up to a limit (413 beyond it), and answers every failure with an MLflow error
 * body.
 */
public final class ApiHandler extends Handler.Abstract {
  private final Routes routes;
  private final ArtifactProxy artifacts;
  private final ObjectMapper json;
  private final int maxJsonBytes;
  private final Authenticator authenticator;
  private final ResourceAccess permissions;
  private final PackageProxy packages;

  /**
   * @param routes the JSON endpoints
   * @param artifacts the artifact proxy
   * @param json the mapper for bodies
   * @param maxJsonBytes the largest JSON body accepted
   * @param authenticator who may call
   * @param permissions what each user may do with each experiment and model
   * @param packages the registry's package files
   */
  public ApiHandler(Routes routes, ArtifactProxy artifacts, ObjectMapper json, int maxJsonBytes,
      Authenticator authenticator, ResourceAccess permissions, PackageProxy packages) {
    this.routes = routes;
    this.artifacts = artifacts;
    this.json = json;
    this.maxJsonBytes = maxJsonBytes;
    this.authenticator = authenticator;
    this.permissions = permissions;
    this.packages = packages;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    boolean bodyRead = false;
    try {
      Optional<Users.User> user = authenticator.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION));
      if (path.startsWith(ArtifactProxy.PREFIX)) {
        Authenticator.authorize(user, !method.equals("GET"), "change artifacts");
        String rest = path.substring(ArtifactProxy.PREFIX.length());
        if (user.isPresent()) {
          permissions.checkArtifact(user.get(), method, ArtifactProxy.parse(rest).experimentId());
        }
        artifacts.handle(method, rest, request, response);
        callback.succeeded();
        return true;
      }
      if (path.startsWith(PackageProxy.LOGGED_PREFIX)) {
        Authenticator.authorize(user, true, "log packages");
        String rest = path.substring(PackageProxy.LOGGED_PREFIX.length());
        if (user.isPresent()) {
          permissions.checkRun(user.get(), rest.split("/", 2)[0]);
        }
        packages.handleLogged(method, rest, request, response);
        callback.succeeded();
        return true;
      }
      if (path.startsWith(PackageProxy.PREFIX)) {
        Authenticator.authorize(user, !method.equals("GET"), "register packages");
        String rest = path.substring(PackageProxy.PREFIX.length());
        String model = PackageProxy.model(rest);
        boolean existed = user.isPresent() && permissions.modelExists(model);
        if (user.isPresent() && existed) {
          permissions.checkModel(user.get(), model, method.equals("GET"));
        }
        packages.handle(method, rest, request, response);
        if (user.isPresent() && !existed && method.equals("PUT")) {
          permissions.grantModel(user.get(), model);
        }
        callback.succeeded();
        return true;
      }
      Routes.Route route = routes.find(method, path).orElseThrow(() -> unrouted(method, path, response));
      Authenticator.authorize(user, route.writes(), "call " + method + " " + path);
      ObjectNode params = method.equals("GET") ? queryParams(request) : body(request);
      bodyRead = true;
      ApiRequest call = new ApiRequest(params, user.map(Users.User::name).orElse(null),
          name -> request.getHeaders().get(name));
      String endpoint = path.substring(Routes.PREFIX.length());
      boolean modelExisted = false;
      if (user.isPresent()) {
        permissions.check(user.get(), method, endpoint, params);
        modelExisted = endpoint.equals("model-versions/create")
            && permissions.modelExists(call.optionalString("name").orElse(""));
      }
      ObjectNode answer = route.endpoint().handle(call);
      if (user.isPresent()) {
        permissions.after(user.get(), endpoint, params, answer, modelExisted);
      }
      send(response, 200, json.writeValueAsBytes(answer), callback);
    } catch (RuntimeException | JsonProcessingException e) {
      ApiException error = e instanceof RuntimeException re ? ErrorBodies.of(re, method + " " + path)
          : new ApiException(ErrorCode.INTERNAL_ERROR, "the answer could not be written");
      if (error.code() == ErrorCode.UNAUTHENTICATED) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"mlops\", Bearer realm=\"mlops\"");
      }
      if (e instanceof dev.mlops.core.ConflictException && error.code() == ErrorCode.INVALID_PARAMETER_VALUE) {
        response.getHeaders().put(RestStore.ERROR_KIND_HEADER, RestStore.CONFLICT);
      } else if (e instanceof dev.mlops.core.StoreUnavailableException) {
        response.getHeaders().put(RestStore.ERROR_KIND_HEADER, RestStore.STORE_FAILED);
      }
      if (!bodyRead && mayHaveBody(request)) {
        // refused before its body was read (a 401, a 405, a 413): the unread bytes, or bytes
        // still on the way, leave the connection unable to carry another request, so say so,
        // or a keep-alive client sends its next request into a socket the server is closing
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      }
      if (response.isCommitted()) {
        callback.failed(e);
      } else {
        send(response, error.status(), ErrorBodies.body(json, error), callback);
      }
    }
    return true;
  }

  private static boolean mayHaveBody(Request request) {
    return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  private ApiException unrouted(String method, String path, Response response) {
    Set<String> methods = routes.methods(path);
    if (methods.isEmpty()) {
      return new ApiException(ErrorCode.ENDPOINT_NOT_FOUND, "no API endpoint at " + path);
    }
    response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", methods));
    return new ApiException(ErrorCode.BAD_REQUEST, 405, path + " answers " + methods + ", not " + method);
  }

  private ObjectNode queryParams(Request request) {
    Fields fields = Request.extractQueryParameters(request);
    ObjectNode params = json.createObjectNode();
    for (Fields.Field field : fields) {
      if (field.getValues().size() == 1) {
        params.put(field.getName(), field.getValue());
      } else {
        ArrayNode values = params.putArray(field.getName());
        field.getValues().forEach(values::add);
      }
    }
    return params;
  }

  private ObjectNode body(Request request) {
    byte[] bytes = readBounded(request, maxJsonBytes);
    if (bytes.length == 0) {
      return json.createObjectNode();
    }
    JsonNode node;
    try {
      node = json.readTree(bytes);
    } catch (IOException e) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "the request body is not valid JSON; send a JSON object");
    }
    if (!(node instanceof ObjectNode object)) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "the request body must be a JSON object");
    }
    return object;
  }

  /** Reads a request body of at most {@code limit} bytes; beyond it, a 413 error and nothing kept. */
  static byte[] readBounded(Request request, int limit) {
    long declared = request.getLength();
    if (declared > limit) {
      throw tooLarge(declared, limit);
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw tooLarge(bytes.length, limit);
      }
      return bytes;
    } catch (IOException e) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "the request body could not be read: the client stopped"
          + " sending or was too slow");
    }
  }

  static ApiException tooLarge(long size, long limit) {
    return new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, 413, "the request body has " + (size > limit ? "more"
        + " than " + limit : size) + " bytes; the limit is " + limit + " bytes. Split the request up");
  }

  private static void send(Response response, int status, byte[] body, Callback callback) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    // one last write: headers and body leave together, without a second, empty closing write
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
