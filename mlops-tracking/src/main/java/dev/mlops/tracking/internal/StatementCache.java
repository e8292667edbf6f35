package dev.mlops.tracking.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A pooled connection that keeps the statements it prepared and hands them out again: the
 * store's work is many short transactions of a few small statements each, and SQLite parses and
 * plans a statement anew on every {@code prepareStatement}, which cost about a quarter of the time
 * a life-cycle pass spent in the store. The store's code keeps its plain JDBC shape —
 * {@code try (PreparedStatement p = c.prepareStatement(sql))} — and {@code close} returns the
 * statement here instead of finalizing it.
 *
 * <p>Only a statement used plainly is kept: one that failed, or whose fetch size, row limit or
 * timeout was set, is closed for real. A handle is usable only until it is closed; the same
 * statement handed out again comes in a new handle, so a stale one fails instead of disturbing
 * the new user. A statement asked for while its cached one is in use (the same query nested in
 * itself) is prepared afresh. Idle statements beyond {@link #CAPACITY}, least recently used
 * first, are closed, which bounds the statements of searches built with varying text. Like the
 * connection, it is used by one thread at a time.
 *
 * <pre>{@code
 * Connection c = StatementCache.wrap(dialect.connect());
 * try (PreparedStatement p = c.prepareStatement("SELECT 1")) { ... }   // prepared
 * try (PreparedStatement p = c.prepareStatement("SELECT 1")) { ... }   // reused
 * c.close();                                                            // closes both
 * }</pre>
 */
final class StatementCache implements InvocationHandler {
  /** The idle statements a connection keeps. */
  static final int CAPACITY = 64;

  /** The methods after which a statement is not plain any more and is not handed out again. */
  private static final Set<String> CONFIGURING = Set.of("setFetchSize", "setMaxRows", "setLargeMaxRows",
      "setQueryTimeout", "setMaxFieldSize", "setFetchDirection", "setEscapeProcessing", "setPoolable",
      "closeOnCompletion", "setCursorName");

  private final Connection target;
  private final Map<String, PreparedStatement> idle = new LinkedHashMap<>(16, 0.75f, true);
  private Connection self;

  private StatementCache(Connection target) {
    this.target = target;
  }

  /** The connection, keeping the statements prepared with {@code prepareStatement(sql)}. */
  static Connection wrap(Connection target) {
    StatementCache cache = new StatementCache(target);
    cache.self = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
        new Class<?>[] {Connection.class}, cache);
    return cache.self;
  }

  /** How many statements are idle in the cache of a connection made by {@link #wrap}. */
  static int idleCount(Connection c) {
    return ((StatementCache) Proxy.getInvocationHandler(c)).idle.size();
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Object own = objectMethod(proxy, method, args, this);
    if (own != null) {
      return own;
    }
    if (method.getName().equals("prepareStatement") && args.length == 1) {
      return checkOut((String) args[0]);
    }
    if (method.getName().equals("close")) {
      closeIdle();
    }
    return call(target, method, args);
  }

  /**
   * A proxy's {@code equals}, {@code hashCode} and {@code toString}: its identity and its
   * handler's description; null for any other method.
   */
  private static Object objectMethod(Object proxy, Method method, Object[] args, InvocationHandler handler) {
    return switch (method.getName()) {
      case "equals" -> args.length == 1 ? (Object) (proxy == args[0]) : null;
      case "hashCode" -> args == null ? (Object) System.identityHashCode(proxy) : null;
      case "toString" -> args == null ? handler.toString() : null;
      default -> null;
    };
  }

  @Override
  public String toString() {
    return "cached statements over " + target;
  }

  private PreparedStatement checkOut(String sql) throws SQLException {
    PreparedStatement real = idle.remove(sql);
    // one closed behind the cache's back (through unwrap) is replaced, not handed out
    if (real == null || real.isClosed()) {
      real = target.prepareStatement(sql);
    }
    Handle handle = new Handle(sql, real);
    return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, handle);
  }

  private void checkIn(String sql, PreparedStatement real, boolean plain) {
    if (!plain || idle.containsKey(sql)) {
      closeQuietly(real);
      return;
    }
    try {
      real.clearParameters();
      real.clearBatch();
    } catch (SQLException e) {
      closeQuietly(real);
      return;
    }
    idle.put(sql, real);
    if (idle.size() > CAPACITY) {
      Iterator<PreparedStatement> eldest = idle.values().iterator();
      closeQuietly(eldest.next());
      eldest.remove();
    }
  }

  private void closeIdle() {
    idle.values().forEach(StatementCache::closeQuietly);
    idle.clear();
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // a statement that cannot be closed goes with its connection
    }
  }

  /** One use of a cached statement, from {@code prepareStatement} to {@code close}. */
  private final class Handle implements InvocationHandler {
    private final String sql;
    private final PreparedStatement real;
    private boolean closed;
    private boolean plain = true;
    private ResultSet results;

    Handle(String sql, PreparedStatement real) {
      this.sql = sql;
      this.real = real;
    }

    @Override
    public String toString() {
      return "cached statement " + sql;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      Object own = objectMethod(proxy, method, args, this);
      if (own != null) {
        return own;
      }
      String name = method.getName();
      if (name.equals("close")) {
        if (!closed) {
          closed = true;
          if (results != null) {
            closeQuietly(results);
          }
          checkIn(sql, real, plain);
        }
        return null;
      }
      if (name.equals("isClosed")) {
        return closed;
      }
      if (closed) {
        throw new SQLException("this statement is closed; prepare it again");
      }
      if (name.equals("getConnection")) {
        return self;
      }
      if (CONFIGURING.contains(name)) {
        plain = false;
      }
      try {
        Object out = call(real, method, args);
        if (out instanceof ResultSet rs) {
          results = rs;
        }
        return out;
      } catch (Throwable t) {
        plain = false;
        throw t;
      }
    }
  }
}
