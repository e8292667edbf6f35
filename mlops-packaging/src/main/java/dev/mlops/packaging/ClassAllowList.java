package dev.mlops.packaging;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.oracle.labs.mlrg.olcut.config.protobuf.protos.ObjectProvenanceProto;
import com.oracle.labs.mlrg.olcut.config.protobuf.protos.RootProvenanceProto;
import com.oracle.labs.mlrg.olcut.config.protobuf.protos.SimpleProvenanceProto;
import dev.mlops.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tribuo.protos.core.ModelDataProto;
import org.tribuo.protos.core.ModelProto;

/**
 * Checks every class a serialized Tribuo model names against the loader's allow-list before
 * Tribuo loads (and so initialises) any of them.
 *
 * <p>Tribuo wraps each serialized object in the same envelope — field 1 the version (absent
 * when 0), field 2 the class name, field 3 an {@link Any} with the object's data — and resolves
 * the class name with {@code Class.forName}. The model's own envelope is read through {@link
 * ModelProto}; the envelopes nested in its data (feature and output domains, parameters, the
 * members of an ensemble) are found by that shape without knowing their message types.
 *
 * <p>A model's data starts with its {@link ModelDataProto}, whose provenance names the
 * provenance classes OLCUT instantiates when it reads the provenance back. Those must be on the
 * allow-list too, or in OLCUT's own provenance package, which Tribuo's provenance is built from.
 */
final class ClassAllowList {
  /** OLCUT's provenance classes, always allowed as provenance classes. */
  static final String OLCUT_PROVENANCE = "com.oracle.labs.mlrg.olcut.provenance.";

  private static final Pattern CLASS_NAME =
      Pattern.compile("(?:[\\p{L}_$][\\p{L}\\p{N}_$]*\\.)+[\\p{L}_$][\\p{L}\\p{N}_$]*");
  private static final int MAX_DEPTH = 64;

  private ClassAllowList() {}

  /** The classes a model names: envelopes, outermost first, then provenance classes. */
  record Names(List<String> envelopes, List<String> provenance) {}

  /**
   * Every class name the model names.
   *
   * @throws InvalidInputException naming the first class the options do not allow
   */
  static Names check(ModelProto proto, LoadOptions options, String entry) {
    Names names = new Names(new ArrayList<>(), new ArrayList<>());
    names.envelopes().add(proto.getClassName());
    collectProvenance(proto.getSerializedData(), names.provenance());
    collect(proto.getSerializedData().getValue(), names, 0);
    for (String name : names.envelopes()) {
      refuseUnless(options.allows(name), name, entry, options);
    }
    for (String name : names.provenance()) {
      refuseUnless(options.allows(name) || name.startsWith(OLCUT_PROVENANCE), name, entry, options);
    }
    return names;
  }

  private static void refuseUnless(boolean allowed, String name, String entry, LoadOptions options) {
    if (!allowed) {
      throw new InvalidInputException(
          entry + " names the class '" + name + "', which the loader's allow-list "
              + options.allowedClassPrefixes() + " does not allow; the class was not loaded. "
              + "If the package is trusted, allow it with LoadOptions.allowClassPrefix");
    }
  }

  private static void collect(ByteString message, Names names, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    UnknownFieldSet fields;
    try {
      fields = UnknownFieldSet.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      return; // not a message: a string or packed numbers
    }
    envelope(fields).ifPresent(
        any -> {
          names.envelopes().add(fields.getField(2).getLengthDelimitedList().get(0).toStringUtf8());
          collectProvenance(any, names.provenance());
        });
    for (UnknownFieldSet.Field field : fields.asMap().values()) {
      for (ByteString nested : field.getLengthDelimitedList()) {
        collect(nested, names, depth + 1);
      }
    }
  }

  /** The envelope's data when the fields have the envelope's shape and a class-name field 2. */
  private static Optional<Any> envelope(UnknownFieldSet fields) {
    UnknownFieldSet.Field version = fields.getField(1);
    UnknownFieldSet.Field className = fields.getField(2);
    UnknownFieldSet.Field data = fields.getField(3);
    if (version.getVarintList().size() > 1
        || className.getLengthDelimitedList().size() != 1
        || data.getLengthDelimitedList().size() != 1
        || !CLASS_NAME.matcher(className.getLengthDelimitedList().get(0).toStringUtf8()).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Any.parseFrom(data.getLengthDelimitedList().get(0)));
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  /** The provenance classes of a model's data, when the data starts with a {@link ModelDataProto}. */
  private static void collectProvenance(Any data, List<String> out) {
    try {
      UnknownFieldSet fields = UnknownFieldSet.parseFrom(data.getValue());
      List<ByteString> first = fields.getField(1).getLengthDelimitedList();
      if (first.size() != 1) {
        return;
      }
      ModelDataProto modelData = ModelDataProto.parseFrom(first.get(0));
      if (!modelData.hasProvenance()) {
        return;
      }
      RootProvenanceProto root = modelData.getProvenance();
      for (ObjectProvenanceProto o : root.getOmpList()) {
        out.add(o.getProvenanceClassName());
      }
      for (SimpleProvenanceProto s : root.getSmpList()) {
        out.add(s.getProvenanceClassName());
      }
    } catch (InvalidProtocolBufferException e) {
      // Not a model's data: domains and parameters carry no provenance.
    }
  }
}
