package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.InvalidInputException;
import dev.mlops.server.Permission;
import dev.mlops.server.Users;
import dev.mlops.server.internal.ApiException;
import dev.mlops.server.internal.Authenticator;
import dev.mlops.server.internal.ErrorBodies;
import dev.mlops.server.internal.ErrorCode;
import dev.mlops.server.internal.ResourceAccess;
import dev.mlops.server.internal.Wire;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.TrackingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The web UI in front of the REST API: pages under {@code /ui/} (each also as JSON with
 * {@code ?format=json}), their scripts and styles under {@code /ui/static/}, and MLflow's sampled
 * metric histories at {@value MetricSeries#PATH}; every other request goes on to the API. Pages
 * need the same credentials as the API and obey its per-experiment and per-model permissions
 * (lists leave out what the user may not read, other pages answer 403); forms that change
 * something need a writer's role, the user's CSRF token and the permission the API would need;
 * every answer forbids inline script through its {@code Content-Security-Policy}.
 *
 * <pre>{@code
 * jetty.setHandler(new UiHandler(apiHandler, tracker, store, authenticator, resourceAccess, json, clock));
 * }</pre>
 */
public final class UiHandler extends Handler.Wrapper {
  /** The policy of every page: scripts and styles only from this server, no inline script, no plug-ins. */
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'";
  /** The policy of a raw artifact: shown, never run, even as a page of its own. */
  static final String RAW_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";
  static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final String OWN = "/dev/mlops/server/internal/ui/";
  private static final int MAX_FORM_FIELDS = 20;
  private static final int MAX_FORM_BYTES = 64 * 1024;

  private final Authenticator authenticator;
  private final ObjectMapper json;
  private final Csrf csrf = new Csrf(new SecureRandom());
  private final Map<String, StaticFile> statics;
  private final ExperimentsPage experiments;
  private final RunsTable runsTable;
  private final RunView runView;
  private final ArtifactView artifactView;
  private final ComparePage compare;
  private final RegistryPages registry;
  private final MonitoringPage monitoring;
  private final MetricSeries series;
  private final ExperimentSettings settings;
  private final UiForms forms;
  private final ResourceAccess resources;

  private record StaticFile(byte[] bytes, String type) {}

  /**
   * @param api the handler of everything that is not the UI
   * @param tracker the tracker over the server's store, for reading
   * @param store the server's store, for listings the tracker does not offer
   * @param authenticator who may call
   * @param resources the per-experiment and per-model permissions every page and form obeys
   * @param json the mapper for JSON answers
   * @param clock the time the forms' changes are recorded at
   */
  public UiHandler(Handler api, Tracker tracker, TrackingStore store, Authenticator authenticator,
      ResourceAccess resources, ObjectMapper json, Clock clock) {
    super(api);
    this.resources = resources;
    this.authenticator = authenticator;
    this.json = json;
    this.statics = Map.of(
        "uPlot.iife.min.js", load(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
        "uPlot.min.css", load(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"),
        "ui.js", load(OWN + "ui.js", "text/javascript; charset=utf-8"),
        "ui.css", load(OWN + "ui.css", "text/css; charset=utf-8"));
    this.experiments = new ExperimentsPage(store);
    this.runsTable = new RunsTable(tracker, store);
    this.runView = new RunView(tracker);
    this.artifactView = new ArtifactView(tracker, json);
    this.compare = new ComparePage(tracker);
    this.registry = new RegistryPages(tracker, clock);
    this.monitoring = new MonitoringPage(tracker, json);
    this.series = new MetricSeries(tracker, store);
    this.settings = new ExperimentSettings(store);
    this.forms = new UiForms(tracker, store, resources, clock);
  }

  private static StaticFile load(String resource, String type) {
    try (InputStream in = UiHandler.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the UI resource " + resource + " is missing from the class path");
      }
      return new StaticFile(in.readAllBytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the UI resource " + resource, e);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (path.equals("/") || path.equals("/ui")) {
      return redirect(response, callback, "/ui/");
    }
    boolean ajax = path.equals(MetricSeries.PATH);
    if (!path.startsWith("/ui/") && !ajax) {
      return super.handle(request, response, callback);
    }
    String below = ajax ? "" : path.substring("/ui/".length());
    Fields query = Request.extractQueryParameters(request);
    boolean wantsJson = ajax || "json".equals(query.getValue("format"));
    try {
      if (below.startsWith("static/") && request.getMethod().equals("GET")) {
        serveStatic(below.substring("static/".length()), response, callback);
        return true;
      }
      Optional<Users.User> user = authenticator.authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION));
      String name = user.map(Users.User::name).orElse(null);
      if (request.getMethod().equals("POST")) {
        Authenticator.authorize(user, true, "change anything through the UI");
        Fields form = FormFields.getFields(request, MAX_FORM_FIELDS, MAX_FORM_BYTES);
        UiRequest r = new UiRequest(below, form, name, csrf.token(name), false, new UiAccess(resources, user));
        if (!csrf.valid(name, form.getValue("csrf"))) {
          throw new ApiException(ErrorCode.PERMISSION_DENIED, "the form's CSRF token is missing or not yours; reload"
              + " the page and submit it again");
        }
        return redirect(response, callback, forms.act(r));
      }
      if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
        response.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
        throw new ApiException(ErrorCode.BAD_REQUEST, 405, "the UI answers GET and POST, not " + request.getMethod());
      }
      UiRequest r = new UiRequest(below, query, name, csrf.token(name), wantsJson, new UiAccess(resources, user));
      if (ajax) {
        send(response, callback, 200, "application/json", json.writeValueAsBytes(series.answer(r)), POLICY);
        return true;
      }
      String[] parts = below.split("/", -1);
      String route = route(parts, below);
      if (route.equals("runs/{id}/raw/{path...}")) {
        r.access().run(decode(parts[1]), Permission.READ);
        String artifact = decode(below.substring(("runs/" + parts[1] + "/raw/").length()));
        byte[] bytes = artifactView.raw(decode(parts[1]), artifact);
        String type = ArtifactView.rawType(artifact);
        if (type.equals("application/octet-stream")) {
          response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment");
        }
        send(response, callback, 200, type, bytes, RAW_POLICY);
        return true;
      }
      if (route.equals("models/{name}/versions/{version}/card") && !wantsJson) {
        r.access().model(decode(parts[1]), Permission.READ);
        byte[] card = registry.cardHtml(decode(parts[1]), version(parts[3]), r).getBytes(StandardCharsets.UTF_8);
        send(response, callback, 200, "text/html; charset=utf-8", card, RAW_POLICY);
        return true;
      }
      UiPage page = page(route, parts, below, r);
      if (wantsJson) {
        send(response, callback, 200, "application/json", json.writeValueAsBytes(page.data()), POLICY);
      } else {
        send(response, callback, 200, "text/html; charset=utf-8", layout(page, r), POLICY);
      }
    } catch (RuntimeException | JsonProcessingException e) {
      ApiException error = e instanceof RuntimeException re ? ErrorBodies.of(re, request.getMethod() + " " + path)
          : new ApiException(ErrorCode.INTERNAL_ERROR, "the answer could not be written");
      if (error.code() == ErrorCode.UNAUTHENTICATED) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"mlops\", charset=\"UTF-8\"");
      }
      if (response.isCommitted()) {
        callback.failed(e);
      } else if (wantsJson) {
        send(response, callback, error.status(), "application/json", ErrorBodies.body(json, error), POLICY);
      } else {
        Html h = new Html();
        h.markup("<pre class=\"error\" id=\"error\">").text(error.getMessage()).markup("</pre><p>")
            .link("/ui/", "Back to the experiments").markup("</p>");
        ObjectNode data = Wire.object();
        UiRequest r = new UiRequest(below, query, null, "", false, new UiAccess(resources, Optional.empty()));
        send(response, callback, error.status(), "text/html; charset=utf-8",
            layout(new UiPage(error.status() == 404 ? "Not found" : "Cannot show this page", h, data), r), POLICY);
      }
    }
    return true;
  }

  // The pages below /ui/; a path matching none of them is not found.
  static final List<UiRoute> PAGES = Stream.of("", "experiments", "experiments/{id}", "experiments/{id}/settings",
      "runs/{id}", "runs/{id}/artifacts/{path...}", "runs/{id}/raw/{path...}", "compare", "models", "models/{name}",
      "models/{name}/versions/{version}", "models/{name}/versions/{version}/card", "monitoring/{id}")
      .map(UiRoute::new).toList();

  private static String route(String[] parts, String below) {
    return PAGES.stream().filter(p -> p.matches(parts)).findFirst().map(UiRoute::template).orElseThrow(() ->
        new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "the UI has no page at /ui/" + below + "; start from /ui/"));
  }

  // Each page first refuses a user who may not read what it shows; lists leave such entries out.
  private UiPage page(String route, String[] parts, String below, UiRequest r) {
    UiAccess access = r.access();
    return switch (route) {
      case "", "experiments" -> experiments.render(r);
      case "experiments/{id}" -> {
        access.experiment(decode(parts[1]), Permission.READ);
        yield runsTable.render(decode(parts[1]), r);
      }
      case "experiments/{id}/settings" -> {
        access.experiment(decode(parts[1]), Permission.READ);
        yield settings.render(decode(parts[1]), r);
      }
      case "runs/{id}" -> {
        access.run(decode(parts[1]), Permission.READ);
        yield runView.render(decode(parts[1]), r);
      }
      case "runs/{id}/artifacts/{path...}" -> {
        access.run(decode(parts[1]), Permission.READ);
        yield artifactView.render(decode(parts[1]), decode(below.substring(("runs/" + parts[1] + "/artifacts/")
            .length())));
      }
      case "compare" -> compare.render(r);
      case "models" -> registry.models(r);
      case "models/{name}" -> {
        access.model(decode(parts[1]), Permission.READ);
        yield registry.model(decode(parts[1]), r);
      }
      case "models/{name}/versions/{version}" -> {
        access.model(decode(parts[1]), Permission.READ);
        yield registry.version(decode(parts[1]), version(parts[3]), r);
      }
      case "models/{name}/versions/{version}/card" -> {
        access.model(decode(parts[1]), Permission.READ);
        yield registry.card(decode(parts[1]), version(parts[3]), r);
      }
      case "monitoring/{id}" -> {
        access.experiment(decode(parts[1]), Permission.READ);
        yield monitoring.render(decode(parts[1]));
      }
      default -> throw new IllegalStateException("the UI page " + route + " has no renderer");
    };
  }

  /** A model version's number from a path segment or form field. */
  static int version(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("a model version is a number such as 3; got '" + text + "'", e);
    }
  }

  // Jetty hands over the path decoded, and refuses an encoded slash, so a segment is used as it is.
  private static String decode(String segment) {
    return segment;
  }

  private byte[] layout(UiPage page, UiRequest r) {
    Html h = new Html();
    h.markup("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<link rel=\"icon\" href=\"data:,\"><title>")
        .text(page.title()).markup(" \u00b7 mlops</title>"
            + "<link rel=\"stylesheet\" href=\"/ui/static/uPlot.min.css\">"
            + "<link rel=\"stylesheet\" href=\"/ui/static/ui.css\">"
            + "<script src=\"/ui/static/uPlot.iife.min.js\" defer></script>"
            + "<script src=\"/ui/static/ui.js\" defer></script></head><body>"
            + "<header><a class=\"brand\" href=\"/ui/\">mlops</a><nav><a href=\"/ui/\">Experiments</a>"
            + "<a href=\"/ui/models\">Models</a></nav>");
    r.user().ifPresent(u -> h.element("span", "user", u));
    h.markup("</header><main><h1 id=\"title\">").text(page.title()).markup("</h1>")
        .markup(page.body().toString())
        .markup("<p class=\"json\"><a href=\"?format=json\" id=\"as-json\">this page as JSON</a></p></main>"
            + "</body></html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void serveStatic(String name, Response response, Callback callback) {
    StaticFile file = statics.get(name);
    if (file == null) {
      throw new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "no UI file named " + name);
    }
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=3600");
    send(response, callback, 200, file.type(), file.bytes(), POLICY);
  }

  private static boolean redirect(Response response, Callback callback, String location) {
    response.getHeaders().put(HttpHeader.LOCATION, location);
    send(response, callback, 303, "text/plain; charset=utf-8", new byte[0], POLICY);
    return true;
  }

  private static void send(Response response, Callback callback, int status, String type, byte[] body,
      String policy) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.getHeaders().put("Content-Security-Policy", policy);
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Referrer-Policy", "same-origin");
    if (!response.getHeaders().contains(HttpHeader.CACHE_CONTROL)) {
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
