package dev.mlops.packaging;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.mlops.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.tribuo.protos.core.ModelProto;

/**
 * Checks every class a serialized Tribuo model names against the loader's allow-list before
 * Tribuo loads (and so initialises) any of them. Tribuo wraps each serialized object in the
 * same envelope — field 1 the version (absent when 0), field 2 the class name, field 3 an {@link Any} with the
 * object's data — and resolves the class name with {@code Class.forName}. The model's own
 * envelope is read through {@link ModelProto}; the envelopes nested in its data (feature and
 * output domains, parameters) are found by that shape without knowing their message types.
 */
final class ClassAllowList {
  private static final Pattern CLASS_NAME =
      Pattern.compile("(?:[\\p{L}_$][\\p{L}\\p{N}_$]*\\.)+[\\p{L}_$][\\p{L}\\p{N}_$]*");
  private static final int MAX_DEPTH = 64;

  private ClassAllowList() {}

  /**
   * Every class name in the model's envelopes, outermost first.
   *
   * @throws InvalidInputException naming the first class the options do not allow
   */
  static List<String> check(ModelProto proto, LoadOptions options, String entry) {
    List<String> names = new ArrayList<>();
    names.add(proto.getClassName());
    collect(proto.getSerializedData().getValue(), names, 0);
    for (String name : names) {
      if (!options.allows(name)) {
        throw new InvalidInputException(
            entry + " names the class '" + name + "', which the loader's allow-list "
                + options.allowedClassPrefixes() + " does not allow; the class was not loaded. "
                + "If the package is trusted, allow it with LoadOptions.allowClassPrefix");
      }
    }
    return names;
  }

  private static void collect(ByteString message, List<String> names, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    UnknownFieldSet fields;
    try {
      fields = UnknownFieldSet.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      return; // not a message: a string or packed numbers
    }
    envelopeClass(fields).ifPresent(names::add);
    for (UnknownFieldSet.Field field : fields.asMap().values()) {
      for (ByteString nested : field.getLengthDelimitedList()) {
        collect(nested, names, depth + 1);
      }
    }
  }

  private static java.util.Optional<String> envelopeClass(UnknownFieldSet fields) {
    UnknownFieldSet.Field version = fields.getField(1);
    UnknownFieldSet.Field className = fields.getField(2);
    UnknownFieldSet.Field data = fields.getField(3);
    // proto3 leaves a version of 0 out, so the version field may be absent.
    if (version.getVarintList().size() > 1
        || className.getLengthDelimitedList().size() != 1
        || data.getLengthDelimitedList().size() != 1) {
      return java.util.Optional.empty();
    }
    String name = className.getLengthDelimitedList().get(0).toStringUtf8();
    if (!CLASS_NAME.matcher(name).matches()) {
      return java.util.Optional.empty();
    }
    try {
      Any.parseFrom(data.getLengthDelimitedList().get(0));
    } catch (InvalidProtocolBufferException e) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(name);
  }
}
