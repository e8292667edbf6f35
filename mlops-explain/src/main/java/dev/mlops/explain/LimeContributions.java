package dev.mlops.explain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.SparseModel;
import org.tribuo.classification.Label;
import org.tribuo.classification.explanations.lime.LIMEBase;
import org.tribuo.classification.explanations.lime.LIMEExplanation;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.slm.LARSLassoTrainer;

/**
 * LIME through Tribuo's {@code LIMEBase}: a fresh explainer per call, seeded, so that an
 * explanation depends only on the row and the seed. Its surrogate is a LARS-lasso linear model
 * of the class scores; contributions are read from it by moving each input's features from the
 * training mean to the row's values.
 */
final class LimeContributions {
  private LimeContributions() {}

  @SuppressWarnings("unchecked")
  static Explanation explain(Model<?> model, Prediction<?> prediction, String predicted, String explained,
      FeatureInputs inputs, Map<String, String> values, long seed, int samples) {
    Model<Label> classifier = (Model<Label>) model;
    LIMEBase lime = new LIMEBase(new SplittableRandom(seed), classifier, new LARSLassoTrainer(), samples);
    LIMEExplanation explanation = lime.explain((Example<Label>) prediction.getExample());
    SparseModel<Regressor> surrogate = explanation.getModel();
    Surrogate local = Surrogate.of(model.getFeatureIDMap(), Explainer.features(prediction), inputs,
        point -> Explainer.dimension(surrogate.predict(point.asRegressionExample()).getOutput(), explained));
    double fidelity = explanation.getEvaluation().r2().entrySet().stream()
        .filter(e -> e.getKey().getNames()[0].equals(explained)).mapToDouble(Map.Entry::getValue).findFirst()
        .orElse(Double.NaN);
    Label scored = (Label) prediction.getOutputScores().get(explained);
    return new Explanation("lime", predicted, explained, scored == null ? 0 : scored.getScore(), local.base(),
        Explainer.contributions(values, local.byInput()), OptionalDouble.of(fidelity), seed);
  }
}
