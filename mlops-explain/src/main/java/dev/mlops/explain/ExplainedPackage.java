package dev.mlops.explain;

import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Frame;
import dev.mlops.packaging.ModelPackage;

/**
 * Records a model's permutation importance in its package, as {@code
 * explanations/importance.json}. The wish, {@code ModelPackage.builder(…).importance(frame,
 * outputColumn)}, cannot be spelled on the builder itself: packaging sits below this module, so
 * the builder takes a computed {@link FeatureImportance} ({@link
 * ModelPackage.Builder#importance(FeatureImportance)}) and this class computes it from the
 * builder's model.
 *
 * <pre>{@code
 * ModelPackage.Builder builder = ModelPackage.builder("iris").version("3").model(model);
 * ModelPackage pkg = ExplainedPackage.importance(builder, validation, "species").build();
 * pkg.importance();        // Optional[FeatureImportance[method=permutation, …]]
 * }</pre>
 */
public final class ExplainedPackage {
  private ExplainedPackage() {}

  /**
   * Measures the builder's model's permutation importance on {@code frame} with the defaults of
   * {@link Importance#permutation(dev.mlops.packaging.Predictor, Frame, String)} and records it
   * in the builder, which it returns. The model is packaged once in memory to predict through its
   * signature exactly as a reader of the package will.
   */
  public static ModelPackage.Builder importance(ModelPackage.Builder builder, Frame frame, String outputColumn) {
    return importance(builder, frame, outputColumn, Importance.permutation());
  }

  /** As {@link #importance(ModelPackage.Builder, Frame, String)}, measured as {@code how} is configured. */
  public static ModelPackage.Builder importance(ModelPackage.Builder builder, Frame frame, String outputColumn,
      PermutationImportance how) {
    ModelPackage draft = builder.build();
    FeatureImportance importance = how.compute(draft.predictor(), frame, outputColumn);
    return builder.importance(importance);
  }
}
