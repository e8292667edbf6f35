/**
 * Experiment tracking with MLflow's semantics, embedded in the JVM: start at {@link
 * dev.mlops.tracking.Tracker}.
 *
 * <pre>{@code
 * try (Tracker tracker = Tracker.local();
 *     Run run = tracker.experiment("iris").run("logreg").start()) {
 *   run.param("lr", 0.1).metric("acc", 0.93);
 * }
 * }</pre>
 */
package dev.mlops.tracking;
