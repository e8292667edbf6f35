package dev.mlops.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answers of its own (a malformed request line, an ambiguous path, headers too large)
 * as MLflow error bodies, never an HTML page or a stack trace.
 */
public final class JsonErrorHandler extends ErrorHandler {
  private final ObjectMapper json;

  /** An error handler writing with this mapper. */
  public JsonErrorHandler(ObjectMapper json) {
    this.json = json;
  }

  @Override
  protected void generateResponse(
      Request request, Response response, int code, String message, Throwable cause, Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(ErrorBodies.body(json, ErrorBodies.forStatus(code))), callback);
  }

  // Requests Jetty refuses before any handler runs (an ambiguous or malformed URI) are answered here;
  // Jetty 12.1 still calls this for them, though it marks it for removal.
  @Override
  @SuppressWarnings("removal")
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(ErrorBodies.body(json, ErrorBodies.forStatus(status)));
  }

  // Jetty writes error bodies for GET and POST only by default; a refused PUT also gets its JSON.
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  public boolean isShowStacks() {
    return false;
  }
}
