package dev.mlops.serving;

/** The scoring server's endpoints, by path; what a metric's {@code endpoint} tag may say. */
enum Endpoint {
  INVOCATIONS("/invocations", "POST"),
  HEALTH("/health", "GET"),
  PING("/ping", "GET"),
  VERSION("/version", "GET"),
  METRICS("/metrics", "GET"),
  OTHER(null, null);

  static final String LIST = "POST /invocations, GET /health, GET /ping, GET /version, GET /metrics";

  private final String path;
  private final String method;

  Endpoint(String path, String method) {
    this.path = path;
    this.method = method;
  }

  static Endpoint of(String path) {
    for (Endpoint e : values()) {
      if (e.path != null && e.path.equals(path)) {
        return e;
      }
    }
    return OTHER;
  }

  /** The method the endpoint answers (GET endpoints answer HEAD too). */
  String method() {
    return method;
  }

  String tag() {
    return path == null ? "other" : path;
  }
}
