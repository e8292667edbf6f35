package dev.mlops.core;

/**
 * Raised when a named thing (experiment, run, model version, column, file) does not exist.
 *
 * <pre>{@code
 * throw new NotFoundException("no run with id '" + id + "'; list runs with tracker.search(experiment)");
 * }</pre>
 */
public class NotFoundException extends MlopsException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }

  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
