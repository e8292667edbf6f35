package dev.mlops.tracking.internal;

import dev.mlops.core.InvalidInputException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tracking URI as people type it, read once: the store it names, the options it carries and a
 * form safe to print. Accepted:
 *
 * <ul>
 *   <li>{@code sqlite:<path>} and {@code jdbc:sqlite:<path>}: a SQLite file, relative to the
 *       working directory unless absolute;
 *   <li>{@code sqlite:///<path>} as MLflow (SQLAlchemy) writes it: {@code sqlite:///mlops.db} is
 *       relative, {@code sqlite:////srv/mlops/mlops.db} absolute;
 *   <li>{@code postgresql://user:password@host:port/db?…}, {@code postgres://…} and
 *       {@code jdbc:postgresql://host:port/db?user=…&password=…}.
 * </ul>
 *
 * The parameter {@code artifacts=<folder>} names the artifact location on any of them. A password
 * (in the user part or as {@code password=}) is taken out of the URL and handed to the driver as a
 * property; {@link #redacted()} and {@link #toString()} show {@code ***} in its place, and
 * {@link #scrub} removes it from any failure passed on.
 *
 * <pre>{@code
 * TrackingUri uri = TrackingUri.parse("postgresql://ml:s3cret@db:5432/mlops?artifacts=/srv/mlops");
 * uri.redacted();     // postgresql://ml:***@db:5432/mlops?artifacts=/srv/mlops
 * uri.artifacts();    // Optional[/srv/mlops]
 * }</pre>
 */
public final class TrackingUri {
  /** The URI parameter that names the artifact location. */
  public static final String ARTIFACTS_PARAMETER = "artifacts";
  private static final String MASK = "***";

  private final Path sqliteFile;
  private final String jdbcUrl;
  private final Map<String, String> driverProperties;
  private final String artifacts;
  private final String redacted;
  private final List<String> secrets;

  private TrackingUri(Path sqliteFile, String jdbcUrl, Map<String, String> driverProperties, String artifacts,
      String redacted, List<String> secrets) {
    this.sqliteFile = sqliteFile;
    this.jdbcUrl = jdbcUrl;
    this.driverProperties = Map.copyOf(driverProperties);
    this.artifacts = artifacts;
    this.redacted = redacted;
    this.secrets = List.copyOf(secrets);
  }

  /**
   * Reads a tracking URI.
   *
   * @throws InvalidInputException naming the URI (without its password) and the accepted forms
   */
  public static TrackingUri parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new InvalidInputException("a tracking URI must not be empty; use sqlite:<path> or"
          + " postgresql://user:password@host:port/database");
    }
    String u = uri.strip();
    String lower = u.toLowerCase(java.util.Locale.ROOT);
    if (lower.startsWith("sqlite:") || lower.startsWith("jdbc:sqlite:")) {
      return sqlite(u, u.substring(lower.indexOf("sqlite:") + "sqlite:".length()));
    }
    for (String scheme : List.of("jdbc:postgresql:", "postgresql:", "postgres:")) {
      if (lower.startsWith(scheme)) {
        return postgres(u, u.substring(scheme.length()));
      }
    }
    throw new InvalidInputException("'" + redactAnyway(u) + "' is not a tracking URI; use sqlite:<path>,"
        + " sqlite:////absolute/path or postgresql://user:password@host:port/database");
  }

  private static TrackingUri sqlite(String uri, String rest) {
    int q = rest.indexOf('?');
    Map<String, String> params = q < 0 ? Map.of() : params(uri, rest.substring(q + 1), List.of());
    String path = q < 0 ? rest : rest.substring(0, q);
    if (path.startsWith("//")) {
      // sqlite://<host>/<path>: SQLAlchemy's form, with no host
      if (!path.startsWith("///")) {
        throw new InvalidInputException("'" + uri + "' names a host; a SQLite URI is sqlite:///relative/path or"
            + " sqlite:////absolute/path");
      }
      path = path.substring(3);
    }
    if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
      throw new InvalidInputException("'" + uri + "' names no database file; use sqlite:<path>, such as"
          + " sqlite:mlops/mlops.db");
    }
    for (String key : params.keySet()) {
      if (!key.equals(ARTIFACTS_PARAMETER)) {
        throw new InvalidInputException("'" + uri + "' has the parameter '" + key + "'; a SQLite URI takes only "
            + ARTIFACTS_PARAMETER + "=<folder>");
      }
    }
    Path file;
    try {
      file = Path.of(path);
    } catch (InvalidPathException e) {
      throw new InvalidInputException("'" + uri + "' names no usable file: " + e.getMessage(), e);
    }
    return new TrackingUri(file, null, Map.of(), params.get(ARTIFACTS_PARAMETER), uri, List.of());
  }

  private static TrackingUri postgres(String uri, String rest) {
    List<String> secrets = new ArrayList<>();
    int q = rest.indexOf('?');
    String location = q < 0 ? rest : rest.substring(0, q);
    Map<String, String> props = new LinkedHashMap<>();
    String display = location;
    if (location.startsWith("//")) {
      String authority = location.substring(2);
      int slash = authority.indexOf('/', Math.max(0, authority.lastIndexOf('@')));
      String userHost = slash < 0 ? authority : authority.substring(0, slash);
      int at = userHost.lastIndexOf('@');
      if (at >= 0) {
        String userInfo = userHost.substring(0, at);
        int colon = userInfo.indexOf(':');
        if (colon >= 0) {
          secrets.add(userInfo);
        }
        String user = decode(uri, colon < 0 ? userInfo : userInfo.substring(0, colon), secrets);
        props.put("user", user);
        if (colon >= 0) {
          String rawPassword = userInfo.substring(colon + 1);
          secrets.add(rawPassword);
          String password = decode(uri, rawPassword, secrets);
          secrets.add(password);
          props.put("password", password);
        }
        location = "//" + authority.substring(at + 1);
        display = "//" + userInfo.substring(0, colon < 0 ? userInfo.length() : colon) + (colon < 0 ? "" : ":" + MASK)
            + "@" + authority.substring(at + 1);
      }
    }
    checkPort(uri, location, secrets);
    String artifacts = null;
    List<String> kept = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    if (q >= 0) {
      for (String pair : rest.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(uri, eq < 0 ? pair : pair.substring(0, eq), secrets);
        String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
        if (key.equalsIgnoreCase("password")) {
          secrets.add(rawValue);
          String password = decode(uri, rawValue, secrets);
          secrets.add(password);
          props.put("password", password);
          shown.add(key + "=" + MASK);
        } else if (key.equals("user")) {
          props.put("user", decode(uri, rawValue, secrets));
          shown.add(pair);
        } else if (key.equals(ARTIFACTS_PARAMETER)) {
          artifacts = decode(uri, rawValue, secrets);
          shown.add(pair);
        } else {
          kept.add(pair);
          shown.add(pair);
        }
      }
    }
    secrets.removeIf(String::isEmpty);
    String jdbcUrl = "jdbc:postgresql:" + location + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    String scheme = uri.substring(0, uri.length() - rest.length());
    String redacted = scheme + display + (shown.isEmpty() ? "" : "?" + String.join("&", shown));
    return new TrackingUri(null, jdbcUrl, props, artifacts, redacted, secrets);
  }

  // The driver would log a malformed port and carry on; name it here instead.
  private static void checkPort(String uri, String location, List<String> secrets) {
    if (!location.startsWith("//")) {
      return;
    }
    String hostPort = location.substring(2);
    int slash = hostPort.indexOf('/');
    hostPort = slash < 0 ? hostPort : hostPort.substring(0, slash);
    for (String host : hostPort.split(",")) {
      int colon = host.lastIndexOf(':');
      if (colon >= 0 && host.indexOf(']', colon) < 0) {
        String port = host.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
          throw new InvalidInputException("'" + scrub(redactAnyway(uri), secrets) + "' has the port '" + port
              + "'; a port is a number from 1 to 65535, such as 5432");
        }
      }
    }
  }

  private static Map<String, String> params(String uri, String query, List<String> secrets) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        params.put(decode(uri, eq < 0 ? pair : pair.substring(0, eq), secrets),
            eq < 0 ? "" : decode(uri, pair.substring(eq + 1), secrets));
      }
    }
    return params;
  }

  // Percent-decoding only: a '+' in a password stays a '+'.
  private static String decode(String uri, String s, List<String> secrets) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("'" + scrub(redactAnyway(uri), secrets) + "' has a malformed %-escape;"
          + " write a character that is not allowed in a URI as %XX");
    }
  }

  // A URI that failed to parse: hide everything that could be a password.
  private static String redactAnyway(String uri) {
    String s = uri.replaceAll("(?i)(password=)[^&]*", "$1" + MASK);
    return s.replaceAll("(//[^/@:?]*):[^/@]*@", "$1:" + MASK + "@");
  }

  /** Whether the URI names a SQLite file. */
  public boolean isSqlite() {
    return sqliteFile != null;
  }

  /** The SQLite file; only for a SQLite URI. */
  public Path sqliteFile() {
    return sqliteFile;
  }

  /** The JDBC URL of a PostgreSQL URI, without user or password. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The user and password for the driver, when the URI has them. */
  public Map<String, String> driverProperties() {
    return driverProperties;
  }

  /** The artifact location the URI's {@code artifacts=} parameter names. */
  public Optional<String> artifacts() {
    return Optional.ofNullable(artifacts);
  }

  /** The URI with its password replaced by {@code ***}: safe for messages and logs. */
  public String redacted() {
    return redacted;
  }

  /** Removes the URI's password from a text. */
  public String scrub(String text) {
    return scrub(text, secrets);
  }

  private static String scrub(String text, List<String> secrets) {
    String s = text;
    if (s != null) {
      for (String secret : secrets) {
        s = s.replace(secret, MASK);
      }
    }
    return s;
  }

  /**
   * The failure with the password removed from every message along its cause chain; the failure
   * itself when it holds none.
   */
  public SQLException scrub(SQLException e) {
    if (secrets.isEmpty() || !mentionsSecret(e)) {
      return e;
    }
    SQLException clean = new SQLException(scrub(e.getMessage()), e.getSQLState(), e.getErrorCode());
    Throwable cause = e.getCause();
    if (cause != null) {
      clean.initCause(new SQLException(scrub(cause.getClass().getName() + ": " + cause.getMessage())));
    }
    return clean;
  }

  private boolean mentionsSecret(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String text = t.toString();
      for (String secret : secrets) {
        if (text.contains(secret)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return redacted;
  }
}
