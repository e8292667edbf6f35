package dev.mlops.server.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.server.TrackingServer;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.Tracker;
import dev.mlops.tracking.internal.BruteForceSummary;
import dev.mlops.tracking.internal.Lttb;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The chart data of a whole history, as served: whatever the history (steps out of order, equal
 * steps, NaN and infinities, fewer points than asked for), the answer is LTTB over the history
 * itself when it has at most {@value MetricSeries#SUMMARY_BUCKETS} points per point asked for
 * or when its M4 summary has fewer points than asked for, and otherwise LTTB over the
 * brute-force M4 summary of the whole history, so that the first
 * request of a long history reads no more than the summary and still answers what a full read
 * would have been downsampled to.
 */
class MetricSeriesProperties {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private Path folder;
  private Tracker tracker;
  private TrackingServer server;

  private void open() throws Exception {
    if (server != null) {
      return;
    }
    folder = Files.createTempDirectory("series");
    String uri = "sqlite:" + folder.resolve("mlops.db");
    tracker = Tracker.open(uri);
    server = TrackingServer.builder(uri).artifacts(folder.resolve("artifacts")).port(0).start();
  }

  @AfterProperty
  void close() throws Exception {
    if (server != null) {
      server.close();
      tracker.close();
      try (var files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      server = null;
    }
  }

  @Provide
  Arbitrary<List<Metric>> histories() {
    Arbitrary<Double> values = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.doubles().between(-2, 2)),
        Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0)));
    Arbitrary<Long> steps = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.longs().between(0, 60_000)),
        Tuple.of(1, Arbitraries.longs().between(-20, 20)),
        Tuple.of(1, Arbitraries.longs().between(0, 3).map(s -> s << 40)));
    Arbitrary<Long> times = Arbitraries.longs().between(1_700_000_000_000L, 1_700_000_000_050L);
    return Combinators.combine(values, times, steps).as(Metric::new).list().ofMaxSize(1_500);
  }

  @Property(tries = 25)
  void aWholeHistoryIsLttbOfItselfOrOfItsBruteForceSummary(@ForAll("histories") List<Metric> history,
      @ForAll @IntRange(min = 3, max = 40) int maxResults) throws Exception {
    open();
    String runId;
    try (Run run = tracker.experiment("charts").run("r").start()) {
      runId = run.id();
      for (Metric m : history) {
        run.metric("loss", m.value(), m.step(), m.timestamp());
      }
    }
    tracker.flush();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(MetricSeries.PATH
        + "?metric_key=loss&max_results=" + maxResults + "&run_ids=" + runId)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode answer = JSON.readTree(r.body());
    List<Metric> served = new ArrayList<>();
    for (JsonNode m : answer.path("metrics")) {
      served.add(new Metric(m.path("value").asDouble(), m.path("timestamp").asLong(), m.path("step").asLong()));
    }
    int buckets = MetricSeries.SUMMARY_BUCKETS * maxResults;
    List<Metric> drawn = history.size() > buckets
        ? BruteForceSummary.m4(history, buckets).filter(m4 -> m4.size() >= maxResults).orElse(history) : history;
    assertEquals(lttb(drawn, maxResults), served, () -> "history " + history);
    assertEquals(history.size(), answer.path("total_points").path(runId).asLong());
  }

  private static List<Metric> lttb(List<Metric> points, int threshold) {
    double[] x = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = points.get(i).step();
      y[i] = points.get(i).value();
    }
    List<Metric> kept = new ArrayList<>();
    for (int i : Lttb.indices(x, y, threshold)) {
      kept.add(points.get(i));
    }
    return kept;
  }
}
