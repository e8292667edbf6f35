package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import dev.mlops.tracking.ModelUri;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.Regressor;

/** The documented shapes of {@code {"predictions": [...]}} for each kind of output. */
class PredictionJsonTest {
  private static final ServedModel MODEL =
      new ServedModel(ModelUri.parse("models:/m/1"), "m", "1", Digest.of("m"), Instant.EPOCH);

  private static <T extends Output<T>> ServedPrediction served(T output, Map<String, T> scores, boolean probabilities) {
    ArrayExample<T> example = new ArrayExample<>(output, new String[] {"x"}, new double[] {1});
    Prediction<T> p = scores.isEmpty()
        ? new Prediction<>(output, 1, example)
        : new Prediction<>(output, scores, 1, example, probabilities);
    return new ServedPrediction(p, MODEL);
  }

  @Test
  void aClassifierWithScoresGivesLabelsAndAScoresArray() {
    ServedPrediction p = served(new Label("yes", 0.75),
        Map.of("yes", new Label("yes", 0.75), "no", new Label("no", 0.25)), true);
    assertEquals("{\"predictions\":[\"yes\"],\"scores\":[{\"no\":0.25,\"yes\":0.75}]}",
        CanonicalJson.toString(PredictionJson.response(List.of(p))));
    assertEquals(Map.of("yes", 0.75, "no", 0.25), p.scores());
  }

  @Test
  void aClassifierWithoutProbabilitiesGivesLabelsOnly() {
    ServedPrediction p = served(new Label("yes", 2.0), Map.of("yes", new Label("yes", 2.0)), false);
    assertEquals("{\"predictions\":[\"yes\"]}", CanonicalJson.toString(PredictionJson.response(List.of(p))));
    assertEquals(Map.of(), p.scores());
  }

  @Test
  void aRegressorGivesNumbersOrAnObjectPerDimension() {
    ServedPrediction one = served(new Regressor("y", 2.5), Map.of(), false);
    ServedPrediction two = served(new Regressor(new String[] {"a", "b"}, new double[] {1.5, -3}), Map.of(), false);
    assertEquals("{\"predictions\":[2.5,{\"a\":1.5,\"b\":-3.0}]}", CanonicalJson.toString(PredictionJson.response(List.of(one, two))));
    assertEquals("2.5", one.output());
  }
}
