package dev.mlops.core;

/**
 * Raised when a backing store (a database, a folder) cannot be reached or written. Often transient: check the connection or the disk and retry.
 *
 * <pre>{@code
 * throw new StoreUnavailableException("cannot open jdbc:postgresql://db/mlops: connection refused", e);
 * }</pre>
 */
public class StoreUnavailableException extends MlopsException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message) {
    super(message);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
