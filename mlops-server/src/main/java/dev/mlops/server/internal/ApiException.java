package dev.mlops.server.internal;

/**
 * A request the server answers with an MLflow error body: {@code {"error_code": ..., "message": ...}}.
 * The message goes to the client, so it names the offending value and never holds SQL, a stack
 * trace or a secret.
 */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final int status;

  /** An error with the HTTP status MLflow gives its code. */
  public ApiException(ErrorCode code, String message) {
    this(code, code.status(), message);
  }

  /** An error with another status, for the statuses MLflow's codes do not cover (405, 413). */
  public ApiException(ErrorCode code, int status, String message) {
    super(message, null, false, false);
    this.code = code;
    this.status = status;
  }

  /** The MLflow error code. */
  public ErrorCode code() {
    return code;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The error for a request parameter that is missing. */
  public static ApiException missing(String parameter) {
    return new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, "Missing value for required parameter '" + parameter
        + "'. See the API docs for more information about request parameters.");
  }

  /** The error for a request parameter of the wrong type or out of range. */
  public static ApiException invalid(String parameter, String problem) {
    return new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value for parameter '" + parameter + "': "
        + problem);
  }
}
