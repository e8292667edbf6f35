package dev.mlops.packaging;

import com.google.common.collect.ImmutableMap;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tribuo.protos.core.ModelProto;

/**
 * Parses a serialized Tribuo model with protobuf's own parser and checks every class the parsed
 * message tree names against the loader's allow-list, before Tribuo loads (and so initialises)
 * any of them.
 *
 * <p>Tribuo wraps each serialized object in an envelope of a version, a {@code class_name} that
 * it resolves with {@code Class.forName}, and an {@code Any} holding the object's data, which
 * the named class unpacks by the {@code Any}'s type. The check reads the model exactly as
 * Tribuo will: the envelope as a {@link ModelProto}, every {@code Any} as the message type its
 * type URL names (parsed the same way, so a field repeated on the wire counts as protobuf keeps
 * it), and every nested message at any depth. Class names are judged whatever they look like,
 * default package included. Provenance records name the provenance classes OLCUT instantiates
 * (which may also be OLCUT's own) and, for enum values, the enum type it initialises.
 *
 * <p>What cannot be checked is refused: an {@code Any} of a message type the reader does not
 * know, nesting deeper than {@link LoadOptions#maxModelDepth()}, bytes that do not parse. Each
 * parse runs with protobuf's size limit at the bytes it is given and a recursion limit at the
 * depth left, and {@code bytes} fields alias the model's array instead of being copied.
 */
final class ClassAllowList {
  /** OLCUT's provenance classes, always allowed as provenance classes. */
  static final String OLCUT_PROVENANCE = "com.oracle.labs.mlrg.olcut.provenance.";

  private static final String ENUM_PROVENANCE = OLCUT_PROVENANCE + "primitives.EnumProvenance";
  private static final String ANY = "google.protobuf.Any";
  private static final String SIMPLE_PROVENANCE = "olcut.SimpleProvenanceProto";
  private static final String CLASS_NAME = "class_name";
  private static final String PROVENANCE_CLASS_NAME = "provenance_class_name";

  /** The generated descriptor holders of Tribuo 4.3's modules and OLCUT's provenance, used when on the class path. */
  private static final List<String> KNOWN_PROTO_FILES = List.of(
      "org.tribuo.protos.core.TribuoCore",
      "org.tribuo.protos.core.TribuoCoreImpl",
      "org.tribuo.math.protos.TribuoMath",
      "org.tribuo.math.protos.TribuoMathImpl",
      "org.tribuo.classification.protos.TribuoClassificationCore",
      "org.tribuo.classification.sgd.protos.TribuoClassificationSgd",
      "org.tribuo.common.sgd.protos.TribuoCommonSgd",
      "org.tribuo.common.tree.protos.TribuoTree",
      "org.tribuo.regression.protos.TribuoRegressionCore",
      "org.tribuo.regression.sgd.protos.TribuoRegressionSgd",
      "com.oracle.labs.mlrg.olcut.config.protobuf.protos.OlcutProto");

  /** The message types of the known proto files found on the class path, by full name; fixed once built. */
  private static final Map<String, Descriptor> KNOWN_TYPES = types(knownFiles(), Map.of());

  private ClassAllowList() {}

  /** The classes a model names: envelopes, outermost first, then provenance classes and enum types. */
  record Names(List<String> envelopes, List<String> provenance) {}

  /** A model parsed and checked, with every class it names. */
  record Checked(ModelProto proto, Names names) {}

  /**
   * Parses the model's bytes and checks every class name in them.
   *
   * @throws IntegrityException when the bytes are not a Tribuo model or hold messages that cannot be checked
   * @throws InvalidInputException naming the first class the options do not allow, or when the
   *     model nests deeper than the options allow
   */
  static Checked check(byte[] bytes, LoadOptions options, String entry) {
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(input(UnsafeByteOperations.unsafeWrap(bytes), options.maxModelDepth()));
    } catch (IOException e) {
      throw new IntegrityException(entry + " is not a Tribuo protobuf model: " + e.getMessage(), e);
    }
    Map<String, Descriptor> types = options.protoFiles().isEmpty() ? KNOWN_TYPES : types(options.protoFiles(), KNOWN_TYPES);
    Walk walk = new Walk(options, entry, types);
    walk.message(proto, 1);
    return new Checked(proto, walk.names);
  }

  private static CodedInputStream input(ByteString bytes, int recursionLimit) {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    in.setSizeLimit(bytes.size());
    in.setRecursionLimit(Math.max(recursionLimit, 1));
    return in;
  }

  /** One check of one model: what it found so far. */
  private static final class Walk {
    private final LoadOptions options;
    private final String entry;
    private final Map<String, Descriptor> types;
    private final Names names = new Names(new ArrayList<>(), new ArrayList<>());

    Walk(LoadOptions options, String entry, Map<String, Descriptor> types) {
      this.options = options;
      this.entry = entry;
      this.types = types;
    }

    private void checkDepth(int depth) {
      if (depth > options.maxModelDepth()) {
        throw new InvalidInputException(
            entry + " nests messages more than " + options.maxModelDepth() + " deep, so not every class it names can be"
                + " checked; the package is refused. Raise LoadOptions.maxModelDepth if the package is trusted");
      }
    }

    void message(Message m, int depth) {
      checkDepth(depth);
      Descriptor type = m.getDescriptorForType();
      if (type.getFullName().equals(ANY)) {
        any(m, depth);
        return;
      }
      for (Map.Entry<FieldDescriptor, Object> field : m.getAllFields().entrySet()) {
        FieldDescriptor f = field.getKey();
        for (Object value : values(f, field.getValue())) {
          if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            message((Message) value, depth + 1);
          } else if (f.getJavaType() == FieldDescriptor.JavaType.STRING && f.getName().equals(CLASS_NAME)) {
            names.envelopes().add((String) value);
            refuseUnless(options.allows((String) value), (String) value);
          } else if (f.getJavaType() == FieldDescriptor.JavaType.STRING && f.getName().equals(PROVENANCE_CLASS_NAME)) {
            names.provenance().add((String) value);
            refuseUnless(options.allows((String) value) || ((String) value).startsWith(OLCUT_PROVENANCE), (String) value);
          }
        }
      }
      if (type.getFullName().equals(SIMPLE_PROVENANCE)
          && ENUM_PROVENANCE.equals(m.getField(type.findFieldByName(PROVENANCE_CLASS_NAME)))) {
        // OLCUT resolves an enum value's type with Class.forName, which initialises it.
        String enumType = (String) m.getField(type.findFieldByName("additional"));
        names.provenance().add(enumType);
        refuseUnless(options.allows(enumType), enumType);
      }
    }

    private void any(Message any, int depth) {
      Descriptor anyType = any.getDescriptorForType();
      String url = (String) any.getField(anyType.findFieldByName("type_url"));
      ByteString value = (ByteString) any.getField(anyType.findFieldByName("value"));
      String typeName = url.substring(url.lastIndexOf('/') + 1);
      Descriptor type = types.get(typeName);
      if (type == null) {
        throw new IntegrityException(
            entry + " holds a message of type '" + typeName + "', which is not one of the Tribuo message types the reader"
                + " knows, so the classes it names cannot be checked; the package is refused. If the model comes from a"
                + " Tribuo module the reader does not know, add its proto file with LoadOptions.protoFile");
      }
      checkDepth(depth + 1);
      Message inner;
      try {
        // Protobuf refuses a message as deep as its limit; one more lets the walk name the limit that was passed.
        inner = DynamicMessage.parseFrom(type, input(value, options.maxModelDepth() - depth + 1));
      } catch (InvalidProtocolBufferException e) {
        throw new IntegrityException(entry + " holds a malformed " + typeName + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new IntegrityException(entry + " holds an unreadable " + typeName + ": " + e.getMessage(), e);
      }
      message(inner, depth + 1);
    }

    private void refuseUnless(boolean allowed, String name) {
      if (!allowed) {
        throw new InvalidInputException(
            entry + " names the class '" + name + "', which the loader's allow-list "
                + options.allowedClassPrefixes() + " does not allow; the class was not loaded. "
                + "If the package is trusted, allow it with LoadOptions.allowClassPrefix");
      }
    }
  }

  private static List<?> values(FieldDescriptor f, Object value) {
    return f.isRepeated() ? (List<?>) value : List.of(value);
  }

  private static List<FileDescriptor> knownFiles() {
    List<FileDescriptor> files = new ArrayList<>();
    for (String holder : KNOWN_PROTO_FILES) {
      try {
        Class<?> c = Class.forName(holder, true, ClassAllowList.class.getClassLoader());
        files.add((FileDescriptor) c.getMethod("getDescriptor").invoke(null));
      } catch (ClassNotFoundException e) {
        // That Tribuo module is not on the class path, so no model of it can be deserialized either.
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read the message types of " + holder, e);
      }
    }
    return files;
  }

  /** The message types, nested ones included, of these files and the files they import, added to {@code base}. */
  private static Map<String, Descriptor> types(List<FileDescriptor> files, Map<String, Descriptor> base) {
    Map<String, Descriptor> types = new HashMap<>(base);
    Set<FileDescriptor> seen = new HashSet<>();
    Deque<FileDescriptor> queue = new ArrayDeque<>(files);
    while (!queue.isEmpty()) {
      FileDescriptor f = queue.poll();
      if (!seen.add(f)) {
        continue;
      }
      queue.addAll(f.getDependencies());
      Deque<Descriptor> messages = new ArrayDeque<>(f.getMessageTypes());
      while (!messages.isEmpty()) {
        Descriptor d = messages.poll();
        types.putIfAbsent(d.getFullName(), d);
        messages.addAll(d.getNestedTypes());
      }
    }
    return ImmutableMap.copyOf(types);
  }
}
