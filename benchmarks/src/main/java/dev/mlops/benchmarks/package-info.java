/** JMH benchmarks, each measured against a baseline in the same run. */
package dev.mlops.benchmarks;
