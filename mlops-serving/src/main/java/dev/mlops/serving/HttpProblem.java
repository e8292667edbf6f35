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
  static final String REQUEST_HEADERS_TOO_LARGE = "REQUEST_HEADERS_TOO_LARGE";
  static final String REQUEST_TIMEOUT = "REQUEST_TIMEOUT";
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

  /** A refusal the HTTP layer itself raised (a malformed request line, headers over the limit, ...). */
  static HttpProblem ofStatus(int status, String reason) {
    String why = reason == null || reason.isBlank() ? "" : " (" + printable(reason) + ")";
    return switch (status) {
      case 400 -> new HttpProblem(400, MALFORMED_REQUEST, "the request is not well-formed HTTP/1.1" + why
          + "; check the request line, the headers and the body's framing (Content-Length or chunked encoding)");
      case 408 -> new HttpProblem(408, REQUEST_TIMEOUT, "the request did not arrive in time" + why + "; send it faster");
      case 413 -> new HttpProblem(413, REQUEST_TOO_LARGE, "the request is too large" + why + "; send fewer rows per request");
      case 414 -> new HttpProblem(414, MALFORMED_REQUEST, "the request URI is too long" + why);
      case 431 -> new HttpProblem(431, REQUEST_HEADERS_TOO_LARGE,
          "the request's headers are over the server's limit" + why + "; send fewer or shorter headers");
      case 404 -> new HttpProblem(404, ENDPOINT_NOT_FOUND, "no such endpoint" + why);
      case 405 -> new HttpProblem(405, METHOD_NOT_ALLOWED, "the method is not allowed" + why);
      case 415 -> new HttpProblem(415, UNSUPPORTED_MEDIA_TYPE, "the media type is not accepted" + why);
      case 505 -> new HttpProblem(505, MALFORMED_REQUEST, "the HTTP version is not supported" + why + "; use HTTP/1.1");
      case 503 -> new HttpProblem(503, TEMPORARILY_UNAVAILABLE, "the server cannot answer now" + why + "; retry shortly");
      default -> status >= 400 && status < 500
          ? new HttpProblem(status, MALFORMED_REQUEST, "the request was refused with status " + status + why)
          : new HttpProblem(status, INTERNAL_ERROR, "the server failed to answer (status " + status + ")" + why);
    };
  }

  /** Text from the HTTP layer, cut short and without control characters, fit to echo in a message. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 120; i++) {
      char c = text.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }

  int status() {
    return status;
  }

  String errorCode() {
    return errorCode;
  }
}
