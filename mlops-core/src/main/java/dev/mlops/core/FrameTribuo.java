package dev.mlops.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.VariableInfo;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Converts between a Tribuo {@link Dataset} and a {@link Frame}. */
final class FrameTribuo {
  /** The name of the column that holds the examples' outputs. */
  static final String OUTPUT = "output";
  /**
   * Between a column's name and its value in a one-hot feature name: Tribuo's columnar joiner,
   * and the separator a packaged model's predictor encodes string inputs with.
   */
  static final String ONE_HOT_SEPARATOR = "@";

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

  /**
   * A data set of the frame's rows: a numeric column becomes a feature of its name (absent where
   * missing), a categorical one a one-hot feature {@code column@value} (absent where missing), and
   * the output column the example's output, read by the factory from the cell's text; a numeric
   * output {@code v} is read as {@code column=v}, so that a regressor's dimension is the column.
   */
  static <T extends Output<T>> MutableDataset<T> toDataset(Frame frame, String outputColumn, OutputFactory<T> factory) {
    Column output = frame.column(outputColumn);
    List<Column> inputs = new ArrayList<>();
    for (Column c : frame.columns()) {
      if (!c.name().equals(outputColumn)) {
        inputs.add(c);
      }
    }
    MutableDataset<T> dataset = new MutableDataset<>(
        new SimpleDataSourceProvenance("frame " + frame.columnNames() + " with output '" + outputColumn + "'", factory),
        factory);
    // read column by column into primitive arrays once, rather than boxing every cell; a one-hot
    // feature's name is built once per distinct value, and a categorical output read once per label
    int width = inputs.size();
    double[][] numbers = new double[width][];
    String[][] texts = new String[width][];
    List<Map<String, String>> oneHotNames = new ArrayList<>(width);
    for (int j = 0; j < width; j++) {
      Column c = inputs.get(j);
      if (c instanceof NumericColumn n) {
        numbers[j] = n.toArray();
      } else {
        texts[j] = ((CategoricalColumn) c).toArray();
      }
      oneHotNames.add(new HashMap<>());
    }
    Map<String, T> outputs = new HashMap<>();
    String[] names = new String[width];
    double[] values = new double[width];
    for (int i = 0; i < frame.rowCount(); i++) {
      if (output.isMissing(i)) {
        throw new InvalidInputException("row " + i + " has no value in the output column '" + outputColumn
            + "'; drop or fill the rows without one before training");
      }
      T target = output instanceof NumericColumn n
          ? factory.generateOutput(outputColumn + "=" + n.get(i))
          : outputs.computeIfAbsent(((CategoricalColumn) output).get(i), factory::generateOutput);
      int k = 0;
      for (int j = 0; j < width; j++) {
        if (numbers[j] != null) {
          if (!Double.isNaN(numbers[j][i])) {
            names[k] = inputs.get(j).name();
            values[k++] = numbers[j][i];
          }
        } else if (texts[j][i] != null) {
          String column = inputs.get(j).name();
          names[k] = oneHotNames.get(j).computeIfAbsent(texts[j][i], v -> column + ONE_HOT_SEPARATOR + v);
          values[k++] = 1.0;
        }
      }
      if (k == 0) {
        // Tribuo refuses an example without features with a message that names neither
        throw new InvalidInputException("row " + i + " has no value in any input column " + names(inputs)
            + "; drop or fill the rows without inputs before training");
      }
      // the example copies the arrays it is given
      dataset.add(k == width ? new ArrayExample<>(target, names, values)
          : new ArrayExample<>(target, Arrays.copyOf(names, k), Arrays.copyOf(values, k)));
    }
    return dataset;
  }

  private static List<String> names(List<Column> columns) {
    return columns.stream().map(Column::name).toList();
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
