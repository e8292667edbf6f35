package dev.mlops.serving;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;

/** The JSON body of every refusal: {@code {"error_code": "...", "message": "..."}}, as MLflow writes it. */
final class ProblemJson {
  private ProblemJson() {}

  static byte[] bytes(HttpProblem p) {
    ObjectNode body = CanonicalJson.object();
    body.put("error_code", p.errorCode());
    body.put("message", p.getMessage());
    return CanonicalJson.toBytes(body);
  }
}
