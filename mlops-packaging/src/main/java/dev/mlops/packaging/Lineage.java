package dev.mlops.packaging;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a packaged model came from: the tracking run that trained it, its experiment, and the
 * run's metrics when it was packaged.
 *
 * <pre>{@code
 * ModelPackage pkg = ModelPackage.builder("iris").version("3").model(model)
 *     .lineage(run.id(), "iris", Map.of("accuracy", 0.95))
 *     .build();
 * pkg.lineage().map(Lineage::runId);
 * }</pre>
 *
 * @param runId the run's id
 * @param experiment the experiment's name
 * @param metrics metric name to value, sorted by name
 */
public record Lineage(String runId, String experiment, Map<String, Double> metrics) {
  public Lineage {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(experiment, "experiment");
    metrics = ImmutableSortedMap.copyOf(Objects.requireNonNull(metrics, "metrics"));
  }
}
