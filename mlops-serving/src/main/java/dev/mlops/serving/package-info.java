/**
 * A deployed model: follow a registry alias, verify and hot-swap packages, run a challenger in
 * shadow or as a canary, feed a drift monitor, and answer MLflow's scoring protocol over HTTP.
 *
 * <p>The entry type is {@link dev.mlops.serving.ModelService}; it reads models through a
 * {@link dev.mlops.serving.ModelSource}, which turns a {@link dev.mlops.tracking.ModelUri}
 * ({@code models:/name@alias}, {@code models:/name/3}) into a
 * {@link dev.mlops.serving.ResolvedModel}. {@link dev.mlops.serving.ScoringServer} puts a service
 * on an embedded Jetty server with bounded connections, threads, headers, bodies and idle time,
 * and {@code mlops serve} does so from the command line.
 *
 * <pre>{@code
 * ModelSource source = ModelSource.ofPackage(Path.of("iris.mlpkg"));
 * try (Monitor monitor = Monitor.builder(reference).window(Window.ofCount(1_000)).build();
 *      ModelService service = ModelService.builder(source, "models:/iris@champion")
 *          .monitor(monitor)
 *          .build();
 *      ScoringServer server = ScoringServer.builder(service).port(8080).start()) {
 *   server.awaitShutdown();
 * }
 * }</pre>
 */
package dev.mlops.serving;
