package dev.mlops.tracking.internal;

/**
 * An experiment with the size and age of its runs, for listings.
 *
 * @param experiment the experiment (its tags left out)
 * @param runs how many runs it holds, deleted ones not counted
 * @param lastActivity the latest start or end of one of its runs, else its last change, in
 *     milliseconds since the epoch
 */
public record ExperimentSummary(ExperimentRow experiment, long runs, long lastActivity) {}
