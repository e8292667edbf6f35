/** The server's HTTP handling, MLflow wire format and endpoints; not a public API. */
package dev.mlops.server.internal;
