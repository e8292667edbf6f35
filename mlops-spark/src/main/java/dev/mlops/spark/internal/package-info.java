/**
 * What the Spark tasks run: the reading of Spark columns, the partition profiler and the scoring
 * task with its broadcast package. Not API: these types are public only because
 * {@code dev.mlops.spark} uses them across the package boundary and Spark serialises them to the
 * executors; they may change in any release. The jar's {@code Automatic-Module-Name} is
 * {@code dev.mlops.spark}, and only that root package is meant to be used.
 */
package dev.mlops.spark.internal;
