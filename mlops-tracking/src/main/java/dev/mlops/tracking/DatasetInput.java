package dev.mlops.tracking;

import dev.mlops.core.Digest;
import dev.mlops.core.Schema;
import java.util.Optional;

/**
 * A data set a run used, as MLflow's run inputs: a name, the digest of its content, its schema
 * when known, and the context it was used in ({@code training}, {@code evaluation}, ...).
 *
 * <pre>{@code
 * run.dataset("iris", Digest.ofFile(csv), frame.schema(), "training");
 * tracker.getRun(runId).datasets().get(0).digest();
 * }</pre>
 *
 * @param name the data set's name
 * @param digest the SHA-256 of its content
 * @param schema its columns, or null when unknown
 * @param context how the run used it
 */
public record DatasetInput(String name, Digest digest, Schema schema, String context) {
  /** The schema, when it was given. */
  public Optional<Schema> schemaIfKnown() {
    return Optional.ofNullable(schema);
  }
}
