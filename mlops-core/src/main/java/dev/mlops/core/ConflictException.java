package dev.mlops.core;

/**
 * Raised when a write contradicts what is already stored, such as logging a parameter again with a different value.
 *
 * <pre>{@code
 * throw new ConflictException("param 'lr' is already 0.1; cannot set it to 0.2");
 * }</pre>
 */
public class ConflictException extends MlopsException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
