package dev.mlops.spark.internal;

import com.google.common.collect.Iterators;
import dev.mlops.core.Field;
import dev.mlops.core.InvalidInputException;
import dev.mlops.packaging.Predictor;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * Scores the rows of one partition through the package's signature: each row's inputs become the
 * predictor's row map (Spark's decimals as doubles, the rest as Spark gives them), so the
 * signature's checks apply to every row. A row that breaks the signature gets null predictions and
 * the message in the error column, or fails the task when {@code failFast}.
 */
public final class ScoringTask implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<PackagedModel> model;
  private final String[] inputs;
  private final int[] positions;
  private final boolean classifier;
  private final String[] outputs;
  private final boolean scores;
  private final boolean failFast;

  /**
   * A task reading {@code inputs} (the signature's inputs present in the data) at {@code positions},
   * writing one value per name of {@code outputs} (the labels for a classifier's scores, the
   * dimensions for a regressor) after the input columns.
   */
  public ScoringTask(Broadcast<PackagedModel> model, List<Field> inputs, int[] positions, boolean classifier,
      List<String> outputs, boolean scores, boolean failFast) {
    this.model = model;
    this.inputs = inputs.stream().map(Field::name).toArray(String[]::new);
    this.positions = positions.clone();
    this.classifier = classifier;
    this.outputs = outputs.toArray(String[]::new);
    this.scores = scores;
    this.failFast = failFast;
  }

  /** How many columns a scored row adds: prediction, scores or dimensions, error. */
  public static int addedColumns(boolean classifier, int outputs, boolean scores) {
    return classifier ? 1 + (scores ? outputs : 0) + 1 : outputs + 1;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Predictor<?> predictor = model.value().predictor();
    int added = addedColumns(classifier, outputs.length, scores);
    return Iterators.transform(rows, row -> {
      int width = row.size();
      Object[] values = new Object[width + added];
      for (int i = 0; i < width; i++) {
        values[i] = row.get(i);
      }
      try {
        write(predictor.predict(inputsOf(row)), values, width);
      } catch (InvalidInputException e) {
        if (failFast) {
          throw e;
        }
        values[width + added - 1] = e.getMessage();
      }
      return RowFactory.create(values);
    });
  }

  private Map<String, Object> inputsOf(Row row) {
    Map<String, Object> map = new HashMap<>(inputs.length * 2);
    for (int i = 0; i < inputs.length; i++) {
      Object v = row.get(positions[i]);
      map.put(inputs[i], v instanceof BigDecimal d ? (Object) d.doubleValue() : v);
    }
    return map;
  }

  private void write(Prediction<?> p, Object[] values, int at) {
    Output<?> out = p.getOutput();
    if (classifier) {
      values[at] = ((Label) out).getLabel();
      if (scores) {
        Map<String, ? extends Output<?>> byLabel = p.getOutputScores();
        for (int k = 0; k < outputs.length; k++) {
          Output<?> scored = byLabel.get(outputs[k]);
          values[at + 1 + k] = scored == null ? null : ((Label) scored).getScore();
        }
      }
    } else {
      Regressor r = (Regressor) out;
      for (int k = 0; k < outputs.length; k++) {
        int dimension = k;
        values[at + k] = r.getDimension(outputs[dimension]).map(Regressor.DimensionTuple::getValue).orElse(null);
      }
    }
  }
}
