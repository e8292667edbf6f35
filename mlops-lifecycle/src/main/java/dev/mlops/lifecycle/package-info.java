/**
 * The automated life cycle (MLOps level 1): a declared pipeline that ingests, validates, splits,
 * trains or selects, evaluates against the champion on the same holdout, gates, packages,
 * registers and deploys a model, on demand or on triggers, with a decision record for every pass.
 *
 * <p>The entry type is {@link dev.mlops.lifecycle.Lifecycle}; its builder takes the parts —
 * {@link dev.mlops.lifecycle.DataSource}, {@link dev.mlops.lifecycle.DataChecks},
 * {@link dev.mlops.lifecycle.Split}, {@link dev.mlops.lifecycle.Search},
 * {@link dev.mlops.lifecycle.Gate}, {@link dev.mlops.lifecycle.Deploy},
 * {@link dev.mlops.lifecycle.Trigger} — and each pass answers a
 * {@link dev.mlops.lifecycle.LifecycleResult} with its {@link dev.mlops.lifecycle.DecisionRecord}.
 * A life cycle trains a classifier ({@code train(…)}, scored by accuracy, macro F1 and error rate)
 * or a regressor ({@code trainRegressor(…)}, scored by RMSE, MAE and R²).
 *
 * <pre>{@code
 * Lifecycle iris = Lifecycle.builder(tracker, "iris-classifier")
 *     .data(DataSource.csv(Path.of("incoming"))).label("species")
 *     .train(trainer)
 *     .gate(Gate.atLeast("accuracy", 0.9).and(Gate.beatsChampion("accuracy", 0.0)))
 *     .build();
 * System.out.println(iris.runOnce().reason());
 * }</pre>
 */
package dev.mlops.lifecycle;
