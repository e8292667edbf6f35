package dev.mlops.core;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.VariableInfo;

/** Converts a Tribuo {@link Dataset} into a {@link Frame}. */
final class FrameTribuo {
  /** The name of the column that holds the examples' outputs. */
  static final String OUTPUT = "output";

  // A one-dimensional regressor serialises as "name=value".
  private static final Pattern SINGLE_REGRESSOR = Pattern.compile("[^=,]+=([^=,]+)");

  private FrameTribuo() {}

  static Frame convert(Dataset<?> dataset) {
    TreeMap<String, Integer> featureIndex = new TreeMap<>();
    for (VariableInfo info : dataset.getFeatureMap()) {
      featureIndex.put(info.getName(), 0);
    }
    if (featureIndex.containsKey(OUTPUT)) {
      throw new InvalidInputException(
          "the data set has a feature named '" + OUTPUT + "', which clashes with the output column; rename the feature");
    }
    int k = 0;
    for (var e : featureIndex.entrySet()) {
      e.setValue(k++);
    }
    int n = dataset.size();
    double[][] features = new double[featureIndex.size()][n];
    String[] outputs = new String[n];
    int i = 0;
    for (Example<?> ex : dataset) {
      for (Feature f : ex) {
        Integer j = featureIndex.get(f.getName());
        if (j != null) {
          features[j][i] = f.getValue();
        }
      }
      outputs[i] = ex.getOutput().getSerializableForm(false);
      i++;
    }
    List<Field> fields = new ArrayList<>();
    List<Column> cols = new ArrayList<>();
    for (var e : featureIndex.entrySet()) {
      fields.add(Field.of(e.getKey(), FieldType.DOUBLE));
      cols.add(new NumericColumn(e.getKey(), features[e.getValue()], 0, n));
    }
    double[] numericOutputs = asRegressionValues(outputs);
    if (numericOutputs != null) {
      fields.add(Field.of(OUTPUT, FieldType.DOUBLE));
      cols.add(new NumericColumn(OUTPUT, numericOutputs, 0, n));
    } else {
      fields.add(Field.of(OUTPUT, FieldType.STRING));
      cols.add(new CategoricalColumn(OUTPUT, outputs, 0, n));
    }
    return new Frame(Schema.of(fields), cols, n);
  }

  private static double[] asRegressionValues(String[] outputs) {
    if (outputs.length == 0) {
      return null;
    }
    double[] values = new double[outputs.length];
    for (int i = 0; i < outputs.length; i++) {
      Matcher m = SINGLE_REGRESSOR.matcher(outputs[i]);
      if (!m.matches() || !FrameCsv.isNumber(m.group(1))) {
        return null;
      }
      values[i] = FrameCsv.parseNumber(m.group(1));
    }
    return values;
  }
}
