/**
 * Drift monitoring: mergeable {@link dev.mlops.monitoring.Profile profiles}, drift tests with
 * SciPy's conventions ({@link dev.mlops.monitoring.Drift}, {@link dev.mlops.monitoring.StatTest}),
 * reports in JSON and self-contained HTML ({@link dev.mlops.monitoring.DriftReport}), a streaming
 * {@link dev.mlops.monitoring.Monitor} and concept-drift detectors
 * ({@link dev.mlops.monitoring.ConceptDriftDetector}).
 *
 * <pre>{@code
 * Profile reference = Profile.of(trainingFrame);
 * DriftReport report = Drift.between(trainingFrame, currentFrame)
 *     .test("age", StatTest.psi().threshold(0.2))
 *     .run();
 * report.writeHtml(Path.of("drift.html"));
 *
 * Monitor monitor = Monitor.builder(reference).window(Window.ofCount(1_000))
 *     .onAlert(alert -> log.warn(alert.summary())).build();
 * monitor.observe(row);
 * monitor.observeOutcome(predicted, actual);
 * }</pre>
 */
package dev.mlops.monitoring;
