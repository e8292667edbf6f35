package dev.mlops.monitoring;

/**
 * How a monitored model is doing: {@link #STABLE}, {@link #WARNING} (some columns drifted, or a
 * concept-drift detector is in its warning zone) or {@link #DRIFT} (the dataset drifted, or a
 * detector signalled concept drift).
 *
 * <pre>{@code
 * if (monitor.state() == MonitorState.DRIFT) retrain();
 * }</pre>
 */
public enum MonitorState {
  STABLE,
  WARNING,
  DRIFT;

  /** The worse of the two states. */
  public MonitorState worse(MonitorState other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
