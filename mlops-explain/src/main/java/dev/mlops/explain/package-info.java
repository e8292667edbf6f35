/**
 * Explainability for packaged models: {@link dev.mlops.explain.Importance} measures which
 * inputs a model relies on (permutation importance for any model, exact weights for Tribuo's
 * linear models, split counts for its trees), {@link dev.mlops.explain.Explainer} says why one
 * prediction came out (exact contributions for linear models, LIME for other classifiers, a
 * seeded local surrogate for other regressors), {@link dev.mlops.explain.ExplainedPackage}
 * records the importance in a package, and {@link dev.mlops.explain.ModelCard} documents a
 * registered model version as HTML and JSON.
 */
package dev.mlops.explain;
