/** Runnable examples of the whole life cycle. */
package dev.mlops.examples;
