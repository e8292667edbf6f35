package dev.mlops.packaging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a fresh JVM by {@link SerialFilterScopeTest}: a JVM's serial filter factory can only be
 * installed before its first object stream, which a test JVM has long opened. Exits 0 when the
 * scope rejects what it must and nothing else.
 */
public final class SerialFilterProbe {
  private SerialFilterProbe() {}

  public static void main(String[] args) throws Exception {
    if (!SerialFilterScope.active()) {
      fail("the filter factory was not installed");
    }
    byte[] list = serialize(new ArrayList<>(List.of(1, 2)));
    try {
      SerialFilterScope.run(SerialFilterScope.allowing(LoadOptions.defaults()), () -> readQuietly(list));
      fail("a java.util.ArrayList was deserialized inside a scope that allows org.tribuo. only");
    } catch (IllegalStateException e) {
      if (!(e.getCause() instanceof InvalidClassException)) {
        fail("unexpected failure " + e);
      }
    }
    readQuietly(list);
    LoadOptions javaUtil = LoadOptions.defaults().allowClassPrefix("java.util.").allowClassPrefix("java.lang.");
    SerialFilterScope.run(SerialFilterScope.allowing(javaUtil), () -> readQuietly(list));
    System.out.println("filtered as expected");
  }

  private static Object readQuietly(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static void fail(String message) {
    System.out.println(message);
    System.exit(1);
  }
}
