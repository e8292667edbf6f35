package dev.mlops.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.ConflictException;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.StoreUnavailableException;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failure into the error a client sees. The library's own messages for bad input and
 * missing things go to the client; whatever could carry SQL, a stack trace, a server path or a
 * database message is logged here and answered with a fixed message.
 */
public final class ErrorBodies {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorBodies.class);

  private ErrorBodies() {}

  /** The API error for a failure while answering {@code what}. */
  public static ApiException of(RuntimeException e, String what) {
    if (e instanceof ApiException api) {
      return api;
    }
    if (e instanceof InvalidInputException || e instanceof ConflictException) {
      if (hasSqlCause(e)) {
        LOG.info("{}: refused by the database: {}", what, e.getMessage());
        return new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, "the write conflicts with what is stored (another"
            + " client may have written the same thing at the same time); read what is stored before writing again");
      }
      return new ApiException(ErrorCode.INVALID_PARAMETER_VALUE, e.getMessage());
    }
    if (e instanceof NotFoundException) {
      return new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, e.getMessage());
    }
    if (e instanceof StoreUnavailableException) {
      LOG.warn("{}: the store is unavailable: {}", what, e.getMessage());
      return new ApiException(ErrorCode.TEMPORARILY_UNAVAILABLE, "the tracking store failed on " + what
          + writes(what) + " after retrying; the server's administrator has the details in the server log");
    }
    if (e instanceof IntegrityException) {
      LOG.error("{}: stored data failed its integrity check: {}", what, e.getMessage());
      return new ApiException(ErrorCode.INTERNAL_ERROR, "stored data failed its integrity check; the server's"
          + " administrator has the details in the server log");
    }
    LOG.error("{}: unexpected failure", what, e);
    return new ApiException(ErrorCode.INTERNAL_ERROR, "the server failed to answer this request; the details are in"
        + " the server log");
  }

  // What an endpoint writes, in the user's words, so that a failure says which data did not arrive.
  private static String writes(String what) {
    if (what.endsWith("/runs/log-batch") || what.endsWith("/runs/log-metric")) {
      return " (writing metrics, params or tags)";
    }
    return "";
  }

  /** The error body for an HTTP status Jetty answers by itself (a malformed request, an unknown path). */
  public static ApiException forStatus(int status) {
    ErrorCode code = switch (status) {
      case 401 -> ErrorCode.UNAUTHENTICATED;
      case 403 -> ErrorCode.PERMISSION_DENIED;
      case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
      case 429 -> ErrorCode.REQUEST_LIMIT_EXCEEDED;
      case 503 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
      default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
    };
    return new ApiException(code, status, "the request was refused with HTTP status " + status);
  }

  /** The JSON body of an error. */
  public static byte[] body(ObjectMapper json, ApiException e) {
    ObjectNode body = json.createObjectNode();
    body.put("error_code", e.code().name());
    body.put("message", e.getMessage());
    try {
      return json.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
      throw new IllegalStateException("an object of two strings always serializes", impossible);
    }
  }

  private static boolean hasSqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return true;
      }
    }
    return false;
  }
}
