package dev.mlops.examples;

import dev.mlops.core.TribuoLogging;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.serving.ChallengerStats;
import dev.mlops.serving.ModelService;
import dev.mlops.serving.ScoringServer;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;

/**
 * Serving in one page: two registered versions, a {@link ModelService} that follows the
 * {@code champion} alias with the {@code challenger} in shadow, an MLflow-compatible HTTP scoring
 * server in front of it, and a promotion: the alias moves and the service swaps models between
 * two requests.
 *
 * <pre>{@code
 * mvn -q -pl examples exec:java -Dexec.mainClass=dev.mlops.examples.ServingExample -Dexec.args=target/serving
 * }</pre>
 */
public final class ServingExample {
  private static final String NAME = "iris-classifier";
  private static final String REQUEST = """
      {"dataframe_split": {
        "columns": ["sepal_length", "sepal_width", "petal_length", "petal_width"],
        "data": [[5.1, 3.5, 1.4, 0.2], [6.1, 2.8, 4.7, 1.2], [6.3, 3.3, 6.0, 2.5]]}}""";

  private ServingExample() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path out = OutputFolder.prepare(args, "target/examples/serving");
    TribuoLogging.quiet();
    MutableDataset<Label> train = Iris.dataset(Iris.writeCsv(Iris.split(2).train(), out.resolve("train.csv")));

    try (Tracker tracker = Tracker.open("sqlite:" + out.resolve("mlops.db"))) {
      ModelRegistry registry = tracker.registry();
      // Version 1 trains briefly, version 2 longer; each run logs its package, the registry
      // numbers them and links each version to its run.
      for (int epochs : new int[] {1, 10}) {
        try (Run run = tracker.experiment("iris-serving").run("epochs-" + epochs).start()) {
          run.model("model", ModelPackage.builder(NAME).version("epochs-" + epochs)
              .model(Iris.trainer(0.5, epochs).train(train))
              .lineage(run.id(), "iris-serving", Map.of())
              .build());
          registry.register(NAME, run, "model");
        }
      }
      registry.setAlias(NAME, "champion", 1);
      registry.setAlias(NAME, "challenger", 2);

      HttpClient client = HttpClient.newHttpClient();
      try (ModelService service = ModelService.builder(tracker, "models:/" + NAME + "@champion")
              .shadow("models:/" + NAME + "@challenger")
              .pollEvery(Duration.ZERO)          // polls every 30 s by default; here the example refreshes by hand
              .build();
          ScoringServer server = ScoringServer.builder(service).port(0).start()) {
        System.out.println("scoring " + service.current().uri() + " (version " + service.current().version() + ") at "
            + server.uri());
        System.out.println("POST /invocations -> " + post(client, server.uri().resolve("/invocations"), REQUEST));

        ChallengerStats stats = service.challengerStats().orElseThrow();
        System.out.printf(Locale.ROOT, "the challenger agreed on %d of %d rows%n", stats.agreed(), stats.compared());

        // Promotion: move the alias; the next refresh (or poll) loads, verifies and swaps it in.
        ModelVersion promoted = registry.version(NAME, 2);
        registry.setAlias(NAME, "champion", promoted.version());
        System.out.println("\nchampion moved to version " + promoted.version() + "; swapped: " + service.refresh());
        System.out.println("POST /invocations -> " + post(client, server.uri().resolve("/invocations"), REQUEST));
        System.out.println("GET /version      -> " + get(client, server.uri().resolve("/version")));
        get(client, server.uri().resolve("/metrics")).lines()
            .filter(l -> l.startsWith("mlops_http_requests_seconds_count") || l.startsWith("mlops_model_info"))
            .forEach(l -> System.out.println("GET /metrics      -> " + l));
      }
    }
  }

  private static String post(HttpClient client, URI uri, String json) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String get(HttpClient client, URI uri) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
