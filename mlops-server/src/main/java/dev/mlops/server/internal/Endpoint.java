package dev.mlops.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One JSON endpoint of the API: parameters in, response message out. */
@FunctionalInterface
public interface Endpoint {
  /** Answers a call; throws {@link ApiException} or a library exception to answer with an error. */
  ObjectNode handle(ApiRequest request);
}
