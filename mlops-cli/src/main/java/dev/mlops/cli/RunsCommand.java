package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.InvalidInputException;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.RunSearch;
import dev.mlops.tracking.Tracker;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlops runs}: the runs of experiments, searched with MLflow's filter grammar. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = {
      "List the runs of one or more experiments, as a table or as JSON.",
      "Example: mlops runs iris --filter \"metrics.accuracy > 0.9 and params.lr = '0.1'\" --order-by \"metrics.accuracy DESC\""
    })
final class RunsCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "EXPERIMENT", description = "The experiments whose runs to list.")
  List<String> experiments;

  @Option(names = "--filter", paramLabel = "EXPR", description = "MLflow's search filter: metrics.K > 0.9 and params.K = 'v' and tags.K LIKE 'x%%' and attributes.status = 'FINISHED'.")
  String filter;

  @Option(names = "--order-by", paramLabel = "TERM", description = "Sort terms such as \"metrics.accuracy DESC\"; repeat for ties.")
  List<String> orderBy = List.of();

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most this many runs (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print JSON: one array of runs with their params, metrics and tags.")
  boolean json;

  @Mixin TrackingOptions tracking;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<RunRecord> runs;
    try (Tracker tracker = tracking.open()) {
      RunSearch search = tracker.search(experiments.toArray(String[]::new));
      try {
        search.limit(limit);
        if (filter != null) {
          search.filter(filter);
        }
        if (!orderBy.isEmpty()) {
          search.orderBy(orderBy.toArray(String[]::new));
        }
      } catch (InvalidInputException e) {
        // a filter or sort term that does not parse is a wrong command line: answer with the usage
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      runs = search.list();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode array = CanonicalJson.array();
      runs.forEach(r -> array.add(toJson(r)));
      out.println(CanonicalJson.toPrettyString(array));
    } else {
      Table table = Table.of("RUN ID", "NAME", "STATUS", "STARTED", "METRICS");
      runs.forEach(r -> table.row(r.runId(), r.name(), r.status().name(), Json.instant(r.startTime()), metrics(r.metrics())));
      table.print(out);
    }
    out.flush();
    return 0;
  }

  private static String metrics(Map<String, Metric> metrics) {
    return metrics.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue().value())
        .collect(Collectors.joining(" "));
  }

  private static ObjectNode toJson(RunRecord r) {
    ObjectNode node = CanonicalJson.object();
    node.put("run_id", r.runId());
    node.put("experiment_id", r.experimentId());
    node.put("name", r.name());
    node.put("status", r.status().name());
    node.put("start_time", Json.instant(r.startTime()));
    r.endTime().ifPresent(t -> node.put("end_time", Json.instant(t)));
    r.parentRunId().ifPresent(p -> node.put("parent_run_id", p));
    Json.putStrings(node, "params", r.params());
    ObjectNode metrics = node.putObject("metrics");
    r.metrics().forEach((k, m) -> Json.putNumber(metrics, k, m.value()));
    Json.putStrings(node, "tags", r.tags());
    return node;
  }
}
