package dev.mlops.explain;

import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tribuo.Model;
import org.tribuo.common.sgd.AbstractLinearSGDModel;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.ensemble.EnsembleModel;

/**
 * Global feature importance: which inputs a model relies on, as a {@link FeatureImportance}
 * that a package records and a drift report weighs columns by.
 *
 * <ul>
 *   <li>{@link #permutation(Predictor, Frame, String)}: model-agnostic, scikit-learn's
 *       {@code permutation_importance} (seeded, repeated, on the metric you name, columns
 *       shuffled in parallel); {@link #permutation()} configures it.
 *   <li>{@link #ofModel(ModelPackage)}: what the model itself says, where Tribuo exposes it:
 *       the exact weights of a linear SGD model (Σ |weight| over the outputs and one-hot features
 *       of each input) or the split-based importance of a tree or of a tree ensemble's members.
 * </ul>
 *
 * <pre>{@code
 * FeatureImportance fi = Importance.permutation(pkg.predictor(Label.class), validation, "species");
 * FeatureImportance weights = Importance.ofModel(pkg);        // linear models and trees
 * }</pre>
 */
public final class Importance {
  private Importance() {}

  /**
   * Permutation importance with the defaults: 5 repeats, seed 0, accuracy for a classifier and R²
   * for a regressor, one thread per processor. See {@link PermutationImportance}.
   */
  public static FeatureImportance permutation(Predictor<?> predictor, Frame frame, String outputColumn) {
    return permutation().compute(predictor, frame, outputColumn);
  }

  /** A configurable permutation importance: metric, repeats, seed, parallelism. */
  public static PermutationImportance permutation() {
    return new PermutationImportance();
  }

  /**
   * The importance the model itself exposes, per input column of the package's signature: for a
   * Tribuo linear SGD model its exact weights (method {@code linear-weights}, each input's
   * Σ |weight| over outputs and one-hot features; compare inputs on a common scale), for a tree
   * or an ensemble of trees Tribuo's split-based importance summed over the trees (method {@code
   * split-importance}).
   *
   * @throws InvalidInputException for any other model; use {@link #permutation} then
   */
  public static FeatureImportance ofModel(ModelPackage modelPackage) {
    Model<?> model = modelPackage.model();
    FeatureInputs inputs = new FeatureInputs(modelPackage.signature());
    Map<String, Double> sums = new TreeMap<>();
    String method;
    if (model instanceof AbstractLinearSGDModel<?> linear) {
      method = "linear-weights";
      add(sums, inputs, linear.getTopFeatures(-1));
    } else if (model instanceof TreeModel<?> tree) {
      method = "split-importance";
      add(sums, inputs, tree.getTopFeatures(-1));
    } else if (model instanceof EnsembleModel<?> ensemble
        && ensemble.getModels().stream().allMatch(m -> m instanceof TreeModel<?>)) {
      method = "split-importance";
      for (Model<?> member : ensemble.getModels()) {
        add(sums, inputs, member.getTopFeatures(-1));
      }
    } else {
      throw new InvalidInputException("a " + model.getClass().getSimpleName() + " exposes no importance of its own;"
          + " measure it with Importance.permutation(predictor, frame, outputColumn)");
    }
    List<FeatureImportance.Feature> features = new ArrayList<>();
    for (var f : modelPackage.signature().inputs()) {
      features.add(new FeatureImportance.Feature(f.name(), sums.getOrDefault(f.name(), 0.0), 0));
    }
    return new FeatureImportance(method, method.equals("linear-weights") ? "|weight|" : "split", Double.NaN, 1,
        features);
  }

  /**
   * Adds |value| per input. Tribuo's top features are per output (label or dimension), and a
   * model-wide list under {@code Model.ALL_OUTPUTS} for some models; the per-output lists are summed
   * and the model-wide one used only when there is nothing else, so nothing counts twice.
   */
  private static void add(Map<String, Double> sums, FeatureInputs inputs, Map<String, List<Pair<String, Double>>> top) {
    boolean perOutput = top.keySet().stream().anyMatch(k -> !k.equals(Model.ALL_OUTPUTS));
    top.forEach((output, list) -> {
      if (perOutput && output.equals(Model.ALL_OUTPUTS)) {
        return;
      }
      for (Pair<String, Double> p : list) {
        inputs.input(p.getA()).ifPresent(in -> sums.merge(in, Math.abs(p.getB()), Double::sum));
      }
    });
  }
}
