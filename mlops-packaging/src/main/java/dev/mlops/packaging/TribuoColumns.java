package dev.mlops.packaging;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Maps a model's feature names back to the raw columns they came from, as Tribuo's columnar
 * readers ({@code CSVDataSource} with a {@code RowProcessor}) name them: a numeric field {@code
 * age} becomes the feature {@code age@value}, a one-hot field {@code region} the features {@code
 * region@east}, {@code region@west}. Names are grouped by the text before their first {@code @};
 * a text field's n-gram features ({@code review@1-N=good}) are left as they are.
 */
final class TribuoColumns {
  /** How Tribuo's text pipelines name an n-gram feature: {@code 1-N=word}, {@code 2-N=a/b}. */
  private static final Pattern N_GRAM = Pattern.compile("\\d+-N=");

  private TribuoColumns() {}

  /** One raw column: its name, whether numeric, and the model's feature name when numeric. */
  private record Raw(String column, boolean numeric, String feature) {}

  private static List<Raw> columns(TreeSet<String> featureNames) {
    Map<String, List<String>> groups = new TreeMap<>();
    for (String name : featureNames) {
      int at = name.indexOf(Predictor.ONE_HOT_SEPARATOR);
      if (at > 0 && at < name.length() - 1) {
        groups.computeIfAbsent(name.substring(0, at), k -> new ArrayList<>()).add(name);
      }
    }
    List<Raw> raw = new ArrayList<>();
    TreeSet<String> taken = new TreeSet<>();
    for (Map.Entry<String, List<String>> g : groups.entrySet()) {
      String column = g.getKey();
      if (featureNames.contains(column)) {
        // A plain feature of the column's name beside its columnar ones: nothing maps back safely.
        continue;
      }
      List<String> names = g.getValue();
      if (names.stream().anyMatch(n -> N_GRAM.matcher(n.substring(column.length() + 1)).lookingAt())) {
        // A text field's n-grams: the raw text needs Tribuo's pipeline, so the features stay inputs.
        continue;
      }
      boolean numeric = names.size() == 1 && names.get(0).equals(column + ModelSignature.VALUE_SUFFIX);
      raw.add(new Raw(column, numeric, numeric ? names.get(0) : null));
      taken.addAll(names);
    }
    for (String name : featureNames) {
      if (!taken.contains(name)) {
        raw.add(new Raw(name, true, name));
      }
    }
    raw.sort((a, b) -> a.column().compareTo(b.column()));
    return raw;
  }

  /** The inputs, one per raw column, sorted by name: numeric ones doubles, one-hot ones strings. */
  static List<Field> inputs(TreeSet<String> featureNames) {
    List<Field> fields = new ArrayList<>();
    for (Raw r : columns(featureNames)) {
      fields.add(Field.of(r.column(), r.numeric() ? FieldType.DOUBLE : FieldType.STRING));
    }
    return fields;
  }

  /** The feature names of the numeric columns whose feature has another name. */
  static Map<String, String> features(TreeSet<String> featureNames) {
    Map<String, String> out = new TreeMap<>();
    for (Raw r : columns(featureNames)) {
      if (r.numeric() && !r.feature().equals(r.column())) {
        out.put(r.column(), r.feature());
      }
    }
    return out;
  }
}
