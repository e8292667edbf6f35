package dev.mlops.serving;

import com.google.common.base.Suppliers;
import dev.mlops.core.InvalidInputException;
import dev.mlops.explain.Explainer;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Predictor;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One verified model version, ready to answer: what the source resolved, the package and its
 * signature-enforcing predictor. Immutable; a request takes one of these and keeps it to the
 * end, so a swap never changes the model under a request.
 */
final class LoadedModel {
  private final ResolvedModel resolved;
  private final ServedModel served;
  private final ModelPackage modelPackage;
  private final Predictor<?> predictor;
  /** Built on the first explanation, so that scoring without one pays nothing for it. */
  private final Supplier<Explainer> explainer;

  LoadedModel(ResolvedModel resolved, ServedModel served, ModelPackage modelPackage, Predictor<?> predictor) {
    this.resolved = resolved;
    this.served = served;
    this.modelPackage = modelPackage;
    this.predictor = predictor;
    this.explainer = Suppliers.memoize(() -> Explainer.of(modelPackage));
  }

  ResolvedModel resolved() {
    return resolved;
  }

  ServedModel served() {
    return served;
  }

  ModelPackage modelPackage() {
    return modelPackage;
  }

  /**
   * Predicts one row through the signature.
   *
   * @throws InvalidInputException naming a missing required input or a value of the wrong type
   */
  ServedPrediction predict(Map<String, ?> row) {
    return new ServedPrediction(predictor.predict(row), served);
  }

  /** The explainer of this version's model. */
  Explainer explainer() {
    return explainer.get();
  }
}
