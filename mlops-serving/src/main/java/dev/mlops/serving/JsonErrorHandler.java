package dev.mlops.serving;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers of the HTTP layer itself (a request line that cannot be parsed, headers over the
 * limit, a broken chunked body) in the server's JSON error form instead of Jetty's HTML page,
 * with the server's own wording: no stack trace, no class name, no echo of the request beyond
 * a short, printable reason.
 */
final class JsonErrorHandler extends ErrorHandler {
  static final String JSON = "application/json";

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Object reason = request.getAttribute(ERROR_MESSAGE);
    HttpProblem problem = HttpProblem.ofStatus(response.getStatus(), reason == null ? null : reason.toString());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
    response.write(true, ByteBuffer.wrap(ProblemJson.bytes(problem)), callback);
    return true;
  }
}
