package dev.mlops.packaging;

import java.io.ObjectInputFilter;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action with a JEP 290 {@link ObjectInputFilter} in force for every Java
 * deserialization the action's thread performs, as JEP 415 describes: a process-wide filter
 * factory, installed once, adds the filter of the current scope to whatever filter a stream
 * would otherwise get. Tribuo's protobuf format does not use Java serialization; the scope
 * makes sure that nothing reached from a package's bytes can fall back on it unfiltered.
 */
final class SerialFilterScope {
  private static final Logger LOG = LoggerFactory.getLogger(SerialFilterScope.class);
  // Per-thread by nature: a scope covers exactly the calls its own thread makes.
  private static final ThreadLocal<ObjectInputFilter> CURRENT = new ThreadLocal<>();
  private static final boolean INSTALLED = install();

  private SerialFilterScope() {}

  /**
   * Whether the process-wide factory is this class's: false when the application set its own or
   * opened an object stream before the first package was read.
   */
  static boolean active() {
    return INSTALLED;
  }

  /** Runs {@code action} with {@code filter} applied to every object stream its thread opens. */
  static <T> T run(ObjectInputFilter filter, Supplier<T> action) {
    ObjectInputFilter outer = CURRENT.get();
    CURRENT.set(outer == null ? filter : ObjectInputFilter.merge(filter, outer));
    try {
      return action.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /** A filter that accepts only classes this allow-list allows (arrays by their component) and primitives. */
  static ObjectInputFilter allowing(LoadOptions options) {
    return info -> {
      Class<?> c = info.serialClass();
      if (c == null) {
        return ObjectInputFilter.Status.UNDECIDED;
      }
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.isPrimitive() || options.allows(c.getName())) {
        return ObjectInputFilter.Status.ALLOWED;
      }
      return ObjectInputFilter.Status.REJECTED;
    };
  }

  private static boolean install() {
    BinaryOperator<ObjectInputFilter> previous = ObjectInputFilter.Config.getSerialFilterFactory();
    try {
      ObjectInputFilter.Config.setSerialFilterFactory(
          (current, requested) -> {
            ObjectInputFilter next = previous.apply(current, requested);
            ObjectInputFilter scoped = CURRENT.get();
            if (scoped == null) {
              return next;
            }
            ObjectInputFilter strict = ObjectInputFilter.rejectUndecidedClass(scoped);
            return next == null ? strict : ObjectInputFilter.merge(strict, next);
          });
      return true;
    } catch (IllegalStateException e) {
      // The JDK allows one factory per process, fixed by the first call or the first object stream.
      LOG.warn(
          "cannot install the serial filter factory ({}): the application set its own or opened an object stream first,"
              + " so model packages rely on the process-wide filter (jdk.serialFilter) for Java deserialization",
          e.getMessage());
      return false;
    }
  }
}
