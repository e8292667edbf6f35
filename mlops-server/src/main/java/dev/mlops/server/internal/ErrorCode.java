package dev.mlops.server.internal;

/**
 * MLflow's error codes that this server sends, each with the HTTP status MLflow gives it
 * ({@code ERROR_CODE_TO_HTTP_STATUS} in MLflow's {@code mlflow/exceptions.py}).
 */
public enum ErrorCode {
  INVALID_PARAMETER_VALUE(400),
  BAD_REQUEST(400),
  RESOURCE_ALREADY_EXISTS(400),
  UNAUTHENTICATED(401),
  PERMISSION_DENIED(403),
  RESOURCE_DOES_NOT_EXIST(404),
  ENDPOINT_NOT_FOUND(404),
  REQUEST_LIMIT_EXCEEDED(429),
  INTERNAL_ERROR(500),
  NOT_IMPLEMENTED(501),
  TEMPORARILY_UNAVAILABLE(503);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  /** The HTTP status MLflow answers this code with. */
  public int status() {
    return status;
  }
}
