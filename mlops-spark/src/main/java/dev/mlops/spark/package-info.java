/**
 * The monitoring and packaging modules on Apache Spark: {@link dev.mlops.spark.SparkProfiles
 * profiles} of a {@code Dataset<Row>} computed per partition and merged on the executors,
 * byte-identical to {@code Profile.of} in memory on any partitioning; {@link
 * dev.mlops.spark.SparkDrift drift} between data sets or profiles; {@link
 * dev.mlops.spark.SparkScoring batch scoring} of a verified model package through its signature;
 * and {@link dev.mlops.spark.SparkMonitoring streaming monitoring} of micro-batches. Spark is a
 * provided dependency.
 *
 * <pre>{@code
 * Profile reference = SparkProfiles.of(spark.table("training"));
 * DriftReport report = SparkDrift.between(reference, spark.table("scored_today")).run();
 * Dataset<Row> scored = SparkScoring.of(Path.of("churn.mlpkg")).transform(spark.table("customers"));
 * }</pre>
 */
package dev.mlops.spark;
