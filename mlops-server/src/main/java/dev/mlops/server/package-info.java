/**
 * The team tracking server: MLflow's REST API 2.0 and artifact proxy over this library's
 * tracking stores.
 *
 * <pre>{@code
 * try (TrackingServer server = TrackingServer.builder("sqlite:team/mlops.db")
 *     .artifacts(Path.of("team/artifacts")).port(5000).start()) {
 *   server.join();
 * }
 * }</pre>
 */
package dev.mlops.server;
