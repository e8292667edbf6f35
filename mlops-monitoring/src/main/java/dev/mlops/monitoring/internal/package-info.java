/**
 * The numerics behind profiles and drift tests: exact sums and moments, category counts, value
 * sketches, radix sorting and the distances between distributions. Not API: these types are
 * public only because {@code dev.mlops.monitoring} uses them across the package boundary; they
 * may change in any release. The jar's {@code Automatic-Module-Name} is
 * {@code dev.mlops.monitoring}, and only that root package is meant to be used.
 */
package dev.mlops.monitoring.internal;
