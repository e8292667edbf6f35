package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.Profile;
import dev.mlops.monitoring.Window;
import java.io.File;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrape of {@code /metrics}, with every kind of meter present (HTTP, predictions, swaps,
 * refresh failures, challenger, monitor), passes Prometheus' own checker, {@code promtool check
 * metrics}. Without promtool (Debian's package {@code prometheus}) the test is skipped, except
 * under {@code CI=true}, where a missing promtool fails it.
 */
class PrometheusScrapeTest {
  @TempDir Path dir;

  private static Optional<Path> promtool() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(p -> !p.isEmpty())
        .map(p -> Path.of(p, "promtool"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  @Test
  void theScrapePassesPromtoolCheckMetrics() throws Exception {
    Optional<Path> promtool = promtool();
    if (promtool.isEmpty()) {
      String why = "promtool is not on the PATH; install Debian's package 'prometheus' (apt-get install -y prometheus)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why + ": CI must check the metrics format");
      }
      Assumptions.abort(why + " to run this check");
    }
    FolderModelSource source = new FolderModelSource(dir);
    source.register("clf", TestModels.pkg("clf", "a", TestModels.RISING));
    source.register("clf", TestModels.pkg("clf", "b", TestModels.FALLING));
    source.setAlias("clf", "champion", 1);
    source.setAlias("clf", "challenger", 2);
    Schema columns = Schema.of(Field.of("x1", FieldType.DOUBLE), Field.of("x2", FieldType.DOUBLE));
    FrameBuilder reference = Frame.builder(columns);
    TestModels.rows(200, 3).forEach(r -> reference.row(r.get("x1"), r.get("x2")));
    try (Monitor monitor = Monitor.builder(Profile.of(reference.build())).window(Window.ofCount(10)).build();
         ModelService service = ModelService.builder(source, "models:/clf@champion").shadow("models:/clf@challenger")
             .monitor(monitor).pollEvery(Duration.ZERO).build();
         ScoringServer server = ScoringServer.builder(service).port(0).start()) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (Map<String, Object> row : TestModels.rows(30, 4)) {
        client.send(HttpRequest.newBuilder(server.uri().resolve("/invocations")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"dataframe_records\":[{\"x1\":" + row.get("x1") + ",\"x2\":"
                + row.get("x2") + "}]}")).build(), HttpResponse.BodyHandlers.ofString());
      }
      client.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
      client.send(HttpRequest.newBuilder(server.uri().resolve("/nowhere")).build(), HttpResponse.BodyHandlers.ofString());
      source.setAlias("clf", "champion", 2);
      service.refresh();
      String text = client.send(HttpRequest.newBuilder(server.uri().resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String family : new String[] {"mlops_http_requests_seconds_bucket", "mlops_predictions_total",
          "mlops_model_swaps_total", "mlops_model_refresh_failures_total", "mlops_model_info", "mlops_challenger_rows_total",
          "mlops_monitor_state", "mlops_monitor_alerts_total", "mlops_http_requests_in_flight"}) {
        assertTrue(text.contains(family), family + " is scraped:\n" + text);
      }
      Path scraped = dir.resolve("metrics.txt");
      Files.writeString(scraped, text, StandardCharsets.UTF_8);
      Process check = new ProcessBuilder(promtool.get().toString(), "check", "metrics")
          .redirectInput(scraped.toFile()).redirectErrorStream(true).start();
      assertTrue(check.waitFor(60, TimeUnit.SECONDS), "promtool finished");
      String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, check.exitValue(), "promtool check metrics:\n" + said + "\non:\n" + text);
      assertEquals("", said.trim(), "promtool has no lint complaint:\n" + said);
    }
  }
}
