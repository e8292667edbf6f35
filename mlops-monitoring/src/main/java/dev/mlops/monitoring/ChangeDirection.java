package dev.mlops.monitoring;

/**
 * Which changes of the mean error a detector signals. A user acting on an alert wants to hear
 * that the model got worse, so {@link #RISE} is the default everywhere; {@link #EITHER} also
 * reports an error rate that fell (for example after a fix was deployed).
 *
 * <pre>{@code
 * ConceptDriftDetector both = ConceptDriftDetector.adwin(0.002, ChangeDirection.EITHER);
 * }</pre>
 */
public enum ChangeDirection {
  /** Only a rise of the mean error. */
  RISE,
  /** Only a fall of the mean error. */
  FALL,
  /** A rise or a fall. */
  EITHER;

  /** Whether a change of the mean from {@code before} to {@code after} is one this direction signals. */
  boolean admits(double before, double after) {
    return switch (this) {
      case RISE -> after > before;
      case FALL -> after < before;
      case EITHER -> true;
    };
  }
}
