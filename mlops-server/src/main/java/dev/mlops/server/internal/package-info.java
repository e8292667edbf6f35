/**
 * The server's HTTP handling, MLflow wire format and endpoints. Not API: these types are public
 * only because {@code dev.mlops.server} uses them across the package boundary; they may change in
 * any release.
 */
package dev.mlops.server.internal;
