/** The mlops-packaging module's public API. */
package dev.mlops.packaging;
