package dev.mlops.tracking;

/**
 * The state of a run, as MLflow names it. A run starts {@link #RUNNING} and ends in one of the
 * three terminal states.
 *
 * <pre>{@code
 * run.end(RunStatus.KILLED);
 * tracker.search("iris").filter("attributes.status = 'FINISHED'").list();
 * }</pre>
 */
public enum RunStatus {
  /** Started and not yet ended. */
  RUNNING,
  /** Ended normally; closing a {@link Run} gives this state. */
  FINISHED,
  /** Ended by an exception. */
  FAILED,
  /** Ended on purpose before it completed. */
  KILLED;

  /** Whether this is an end state, in which the run accepts no more writes. */
  public boolean isTerminal() {
    return this != RUNNING;
  }
}
