package dev.mlops.server.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON endpoints by method and path, under MLflow's prefix {@value #PREFIX}; whether an
 * endpoint writes decides which role may call it.
 */
public final class Routes {
  /** MLflow's REST prefix. */
  public static final String PREFIX = "/api/2.0/mlflow/";

  /**
   * A route.
   *
   * @param endpoint what answers it
   * @param writes whether it changes the store
   */
  public record Route(Endpoint endpoint, boolean writes) {}

  private final Map<String, Map<String, Route>> byPath;
  private final java.util.function.UnaryOperator<Endpoint> decoration;

  /** An empty route table. */
  public Routes() {
    this(new HashMap<>(), e -> e);
  }

  private Routes(Map<String, Map<String, Route>> byPath, java.util.function.UnaryOperator<Endpoint> decoration) {
    this.byPath = byPath;
    this.decoration = decoration;
  }

  /** A view of this table that wraps every endpoint added through it in {@code decoration}. */
  public Routes decorated(java.util.function.UnaryOperator<Endpoint> decoration) {
    return new Routes(byPath, decoration);
  }

  /** Adds a reading endpoint. */
  public Routes get(String path, Endpoint endpoint) {
    return add("GET", path, new Route(decoration.apply(endpoint), false));
  }

  /** Adds a writing endpoint. */
  public Routes post(String path, Endpoint endpoint) {
    return add("POST", path, new Route(decoration.apply(endpoint), true));
  }

  /** Adds a writing endpoint MLflow serves by PATCH. */
  public Routes patch(String path, Endpoint endpoint) {
    return add("PATCH", path, new Route(decoration.apply(endpoint), true));
  }

  /** Adds a writing endpoint MLflow serves by DELETE, with a JSON body as its clients send it. */
  public Routes delete(String path, Endpoint endpoint) {
    return add("DELETE", path, new Route(decoration.apply(endpoint), true));
  }

  /** Adds a reading endpoint that MLflow also serves by POST (its searches). */
  public Routes search(String path, Endpoint endpoint) {
    Endpoint decorated = decoration.apply(endpoint);
    add("GET", path, new Route(decorated, false));
    return add("POST", path, new Route(decorated, false));
  }

  private Routes add(String method, String path, Route route) {
    if (byPath.computeIfAbsent(PREFIX + path, p -> new HashMap<>()).put(method, route) != null) {
      throw new IllegalStateException("two endpoints for " + method + " " + path);
    }
    return this;
  }

  /** The route for a method and full path. */
  public Optional<Route> find(String method, String path) {
    Map<String, Route> methods = byPath.get(path);
    return methods == null ? Optional.empty() : Optional.ofNullable(methods.get(method));
  }

  /** The methods a full path answers to; empty when the path is unknown. */
  public Set<String> methods(String path) {
    Map<String, Route> methods = byPath.get(path);
    return methods == null ? Set.of() : new TreeSet<>(methods.keySet());
  }
}
