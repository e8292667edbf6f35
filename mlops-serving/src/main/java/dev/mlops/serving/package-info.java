/** The mlops-serving module's public API. */
package dev.mlops.serving;
