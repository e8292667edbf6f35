/**
 * Experiment tracking and the model registry with MLflow's semantics, embedded in the JVM: start
 * at {@link dev.mlops.tracking.Tracker}; its {@link dev.mlops.tracking.Tracker#registry()} versions
 * the packages runs log.
 *
 * <pre>{@code
 * try (Tracker tracker = Tracker.local();
 *     Run run = tracker.experiment("iris").run("logreg").start()) {
 *   run.param("lr", 0.1).metric("acc", 0.93);
 * }
 * }</pre>
 */
package dev.mlops.tracking;
