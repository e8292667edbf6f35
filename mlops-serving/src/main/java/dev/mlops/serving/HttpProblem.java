package dev.mlops.serving;

/**
 * A request the scoring server refuses, with the HTTP status and the MLflow-style error code it
 * answers with. Thrown inside the server only; clients see {@code {"error_code","message"}}.
 */
final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final String MALFORMED_REQUEST = "MALFORMED_REQUEST";
  static final String INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE";
  static final String REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE";
  static final String ENDPOINT_NOT_FOUND = "ENDPOINT_NOT_FOUND";
  static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
  static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
  static final String TEMPORARILY_UNAVAILABLE = "TEMPORARILY_UNAVAILABLE";
  static final String INTERNAL_ERROR = "INTERNAL_ERROR";

  private final int status;
  private final String errorCode;

  HttpProblem(int status, String errorCode, String message) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
  }

  int status() {
    return status;
  }

  String errorCode() {
    return errorCode;
  }
}
