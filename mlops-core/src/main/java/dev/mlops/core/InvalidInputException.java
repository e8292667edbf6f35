package dev.mlops.core;

/**
 * Raised when a caller passes a value the library cannot accept: a malformed key, a value of the wrong type, a file in the wrong format. Fix the input and call again.
 *
 * <pre>{@code
 * throw new InvalidInputException("key '" + key + "' is longer than 250 characters; shorten it");
 * }</pre>
 */
public class InvalidInputException extends MlopsException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
