/**
 * Values and plumbing every module shares: {@link dev.mlops.core.Schema} and {@link
 * dev.mlops.core.Frame} for data, {@link dev.mlops.core.Digest} and {@link
 * dev.mlops.core.CanonicalJson} for content addressing, {@link dev.mlops.core.Environment} for
 * provenance, {@link dev.mlops.core.Names} for MLflow's key rules, and the {@link
 * dev.mlops.core.MlopsException} hierarchy.
 */
package dev.mlops.core;
