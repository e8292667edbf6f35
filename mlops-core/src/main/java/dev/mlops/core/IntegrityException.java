package dev.mlops.core;

/**
 * Raised when stored bytes do not match the digest recorded for them, or a file is not what it claims to be. Never ignore it: the content may have been tampered with.
 *
 * <pre>{@code
 * throw new IntegrityException("model/model.tribuo: expected sha256:ab.. but found sha256:cd..");
 * }</pre>
 */
public class IntegrityException extends MlopsException {
  private static final long serialVersionUID = 1L;

  public IntegrityException(String message) {
    super(message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
