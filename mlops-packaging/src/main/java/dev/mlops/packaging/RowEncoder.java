package dev.mlops.packaging;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.FeatureMap;
import org.tribuo.Output;
import org.tribuo.VariableInfo;
import org.tribuo.impl.ArrayExample;

/**
 * Turns a row of column values into a Tribuo example under a {@link ModelSignature}, enforcing it.
 *
 * <p>The signature is resolved once, at construction, into arrays ordered as Tribuo orders
 * feature names, so that a well-formed row is read with at most one map look-up per input (none
 * while the row's entries come in that order) and written straight into the example's values,
 * with no boxing, no intermediate lists, no sort and, when every input is present, no array of
 * names of its own. Any row
 * that is not plainly well formed (a missing required input, a value of the wrong type, a NaN)
 * is handed to {@link #checkedExample}, the direct reading of the rules, which either builds the
 * same example or throws the message naming everything that is wrong; the fast path therefore
 * never has to produce a message itself. Immutable after construction, so safe to share between
 * threads.
 */
final class RowEncoder<T extends Output<T>> {
  private final ModelSignature signature;
  private final T unknown;
  /** Whether the per-call order of the feature names is the order of {@link #columns}. */
  private final boolean presorted;
  private final String[] columns;
  private final FieldType[] types;
  private final boolean[] required;
  /** The feature name of a numeric input; {@code column@} for a string or boolean input. */
  private final String[] featureNames;
  private final String[] whenTrue;
  private final String[] whenFalse;
  /** Whether every input is a required double whose feature name is its column's: rows then take {@link #encodeDoubles}. */
  private final boolean allRequiredDoubles;

  /**
   * An encoder for the signature's inputs; {@code modelFeatures} supplies the model's own
   * instances of the feature names it knows.
   */
  RowEncoder(ModelSignature signature, T unknown, FeatureMap modelFeatures) {
    this.signature = signature;
    this.unknown = unknown;
    List<Field> fields = new ArrayList<>(signature.inputs().fields());
    fields.sort(Comparator.comparing(RowEncoder::orderKey));
    int n = fields.size();
    columns = new String[n];
    types = new FieldType[n];
    required = new boolean[n];
    featureNames = new String[n];
    whenTrue = new String[n];
    whenFalse = new String[n];
    for (int i = 0; i < n; i++) {
      Field f = fields.get(i);
      types[i] = f.type();
      required[i] = f.required();
      featureNames[i] = f.type().isNumeric() ? modelsOwn(signature.featureName(f.name()), modelFeatures) : orderKey(f);
      columns[i] = f.type().isNumeric() && featureNames[i].equals(f.name()) ? featureNames[i] : f.name();
      if (f.type() == FieldType.BOOLEAN) {
        whenTrue[i] = modelsOwn(oneHot(f, Boolean.TRUE), modelFeatures);
        whenFalse[i] = modelsOwn(oneHot(f, Boolean.FALSE), modelFeatures);
      }
    }
    // Renamed features sort by their names, not the inputs'; Tribuo's constructor sorts those.
    presorted = orderIsFixed(fields) && signature.features().isEmpty();
    boolean doubles = presorted;
    for (int i = 0; i < n; i++) {
      doubles &= types[i] == FieldType.DOUBLE && required[i] && columns[i] == featureNames[i];
    }
    allRequiredDoubles = doubles;
  }

  /**
   * The model's own instance of a feature name, when it knows the feature. Tribuo looks every
   * feature name up in the model's feature map, and a row's keys are often the very strings the
   * model was trained with: sharing the instance lets both look-ups end at a reference
   * comparison instead of comparing characters.
   */
  private static String modelsOwn(String name, FeatureMap modelFeatures) {
    VariableInfo info = modelFeatures.get(name);
    return info == null ? name : info.getName();
  }

  /**
   * A numeric input's feature name is its column name; a one-hot feature name is {@code column@}
   * followed by the value. Sorting the inputs by these keys gives Tribuo's order of the feature
   * names whatever the values are, unless a one-hot key is a prefix of another key (a column
   * named {@code a@b} next to a string column {@code a}): then the order, or even whether two
   * names collide, depends on the value.
   */
  private static boolean orderIsFixed(List<Field> sorted) {
    for (Field oneHot : sorted) {
      if (oneHot.type().isNumeric()) {
        continue;
      }
      String prefix = orderKey(oneHot);
      for (Field other : sorted) {
        if (other != oneHot && orderKey(other).startsWith(prefix)) {
          return false;
        }
      }
    }
    return true;
  }

  private static String orderKey(Field f) {
    return f.type().isNumeric() ? f.name() : f.name() + Predictor.ONE_HOT_SEPARATOR;
  }

  private static String oneHot(Field f, Object value) {
    return f.name() + Predictor.ONE_HOT_SEPARATOR + value;
  }

  /**
   * The example of a row; {@code rowIndex} is the row's position in a frame, or negative for a
   * single row, and prefixes any error message.
   *
   * @throws InvalidInputException as {@link #checkedExample}
   */
  Example<T> encode(Map<String, ?> row, int rowIndex) {
    if (!presorted) {
      return checkedExample(row, rowIndex);
    }
    if (allRequiredDoubles) {
      double[] values = encodeDoubles(row);
      if (values != null) {
        return new PresortedExample<>(unknown, featureNames, values, true);
      }
    }
    int n = columns.length;
    // The resolved names themselves, shared by every example until a row's features differ
    // from them (a one-hot name, or a missing optional input shifting the rest left): only
    // then does this row get its own copy. PresortedExample copies them before Tribuo may
    // change them in place.
    String[] names = featureNames;
    double[] values = new double[n];
    // Rows usually list their columns in a fixed order, often the signature's own: entries
    // are read in the row's order for as long as they name the inputs in this encoder's
    // order, which costs a comparison instead of a hash look-up, and looked up from there on.
    Iterator<? extends Map.Entry<String, ?>> inOrder = row.entrySet().iterator();
    boolean ordered = true;
    int k = 0;
    for (int i = 0; i < n; i++) {
      Object v;
      if (ordered && inOrder.hasNext()) {
        Map.Entry<String, ?> e = inOrder.next();
        String key = e.getKey();
        ordered = key == columns[i] || columns[i].equals(key);
        v = ordered ? e.getValue() : row.get(columns[i]);
      } else {
        v = row.get(columns[i]);
      }
      String name;
      if (v instanceof Double d && types[i] == FieldType.DOUBLE && Double.isFinite(d)) {
        name = featureNames[i];
        values[k] = d;
      } else if (v == null && !required[i]) {
        continue;
      } else {
        name = featureName(i, v);
        if (name == null) {
          return checkedExample(row, rowIndex);
        }
        values[k] = types[i].isNumeric() ? ((Number) v).doubleValue() : 1.0;
      }
      if (names[k] != name) {
        if (names == featureNames) {
          names = featureNames.clone();
        }
        names[k] = name;
      }
      k++;
    }
    if (k < n) {
      names = Arrays.copyOf(names, k);
      values = Arrays.copyOf(values, k);
    }
    return new PresortedExample<>(unknown, names, values, names == featureNames);
  }

  /**
   * The values of a row that lists exactly the signature's double inputs, in this encoder's
   * order, each a finite {@code Double}; null for any other row, which {@link #encode} then reads
   * the general way. The most common row of all costs one pass over its entries with no look-up
   * and no per-input branch on the input's kind.
   */
  private double[] encodeDoubles(Map<String, ?> row) {
    int n = columns.length;
    if (row.size() != n) {
      return null;
    }
    double[] values = new double[n];
    int i = 0;
    for (Map.Entry<String, ?> e : row.entrySet()) {
      String key = e.getKey();
      if (!(e.getValue() instanceof Double d) || !Double.isFinite(d) || (key != columns[i] && !columns[i].equals(key))) {
        return null;
      }
      values[i++] = d;
    }
    return values;
  }

  /**
   * The feature name of input {@code i} for a value other than a plain double, or null when the
   * value does not plainly fit (null, NaN, an infinity, a type the input does not accept).
   */
  private String featureName(int i, Object v) {
    return switch (types[i]) {
      case DOUBLE -> v instanceof Long || v instanceof Integer || (v instanceof Float f && Float.isFinite(f))
          || v instanceof Short || v instanceof Byte ? featureNames[i] : null;
      case LONG -> v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte ? featureNames[i] : null;
      case BOOLEAN -> v instanceof Boolean b ? (b ? whenTrue[i] : whenFalse[i]) : null;
      case STRING -> v instanceof CharSequence ? featureNames[i] + v : null;
    };
  }

  /**
   * The rules read directly, input by input in the signature's order: a missing (null or NaN)
   * required input is collected, a value of the wrong type or an infinity is collected, anything else becomes a
   * feature; then either every problem is thrown in one message or Tribuo's own constructor
   * sorts the features.
   *
   * @throws InvalidInputException naming every missing required input, or the column, expected
   *     and actual type of every value of the wrong type
   */
  Example<T> checkedExample(Map<String, ?> row, int rowIndex) {
    List<String> missing = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Field f : signature.inputs()) {
      Object v = row.get(f.name());
      if (isMissing(v)) {
        if (f.required()) {
          missing.add(f.name());
        }
        continue;
      }
      String kind = kindOf(v);
      if (!accepts(f.type(), kind)) {
        wrong.add(wrongType(f, kind));
        continue;
      }
      if (f.type().isNumeric() && !Double.isFinite(((Number) v).doubleValue())) {
        // Tribuo's models answer an infinite feature with a NaN score and a null output.
        wrong.add("input '" + f.name() + "' is " + v + "; numeric inputs must be finite numbers");
        continue;
      }
      if (f.type().isNumeric()) {
        names.add(signature.featureName(f.name()));
        values.add(((Number) v).doubleValue());
      } else {
        names.add(oneHot(f, v));
        values.add(1.0);
      }
    }
    failOn(missing, wrong, rowIndex);
    double[] primitive = new double[values.size()];
    for (int i = 0; i < primitive.length; i++) {
      primitive[i] = values.get(i);
    }
    return new ArrayExample<>(unknown, names.toArray(String[]::new), primitive);
  }

  /**
   * Throws when anything was collected: missing inputs first, as MLflow reports them, else every
   * value of the wrong type.
   */
  void failOn(List<String> missing, List<String> wrong, int rowIndex) {
    String where = rowIndex < 0 ? "" : "row " + rowIndex + ": ";
    if (!missing.isEmpty()) {
      List<String> requiredNames = signature.inputs().fields().stream().filter(Field::required).map(Field::name).toList();
      throw new InvalidInputException(
          where + "missing required inputs " + missing + "; the model's signature requires " + requiredNames
              + ". Add the missing inputs");
    }
    if (!wrong.isEmpty()) {
      throw new InvalidInputException(where + String.join("; ", wrong));
    }
  }

  static String wrongType(Field f, String actual) {
    return "input '" + f.name() + "' expects type " + f.type().jsonName() + " but got " + actual
        + (f.type() == FieldType.DOUBLE ? " (only long widens to double)" : "");
  }

  private static boolean isMissing(Object v) {
    return v == null || (v instanceof Double d && d.isNaN()) || (v instanceof Float x && x.isNaN());
  }

  static boolean accepts(FieldType expected, String actual) {
    return switch (expected) {
      case DOUBLE -> actual.equals("double") || actual.equals("float") || actual.equals("long") || actual.equals("integer");
      case LONG -> actual.equals("long") || actual.equals("integer");
      case BOOLEAN -> actual.equals("boolean");
      case STRING -> actual.equals("string");
    };
  }

  /** The MLflow name of a value's type. */
  private static String kindOf(Object v) {
    if (v instanceof Double) {
      return "double";
    }
    if (v instanceof Float) {
      return "float";
    }
    if (v instanceof Long) {
      return "long";
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return "integer";
    }
    if (v instanceof Boolean) {
      return "boolean";
    }
    if (v instanceof CharSequence) {
      return "string";
    }
    return v.getClass().getSimpleName();
  }
}
