package dev.mlops.core;

/**
 * Where the code came from: the git commit, branch and whether the work tree had uncommitted
 * changes when an {@link Environment} was captured.
 *
 * <pre>{@code
 * Environment.capture().gitState().ifPresent(g -> System.out.println(g.commit()));
 * }</pre>
 *
 * @param commit the full commit hash of HEAD
 * @param branch the branch name, or {@code HEAD} when detached
 * @param dirty whether tracked files had uncommitted changes
 */
public record GitState(String commit, String branch, boolean dirty) {}
