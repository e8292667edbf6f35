/** The mlops-monitoring module's public API. */
package dev.mlops.monitoring;
