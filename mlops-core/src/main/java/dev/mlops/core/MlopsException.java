package dev.mlops.core;

/**
 * The one unchecked base of every error this library raises. Subclasses say the cause: {@link
 * InvalidInputException}, {@link NotFoundException}, {@link IntegrityException}, {@link
 * StoreUnavailableException}, {@link ConflictException}. Every message names the offending value
 * and what to do about it.
 *
 * <pre>{@code
 * try {
 *   run.param("lr", 0.2);
 * } catch (MlopsException e) {
 *   log.warn(e.getMessage());
 * }
 * }</pre>
 */
public class MlopsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MlopsException(String message) {
    super(message);
  }

  public MlopsException(String message, Throwable cause) {
    super(message, cause);
  }
}
