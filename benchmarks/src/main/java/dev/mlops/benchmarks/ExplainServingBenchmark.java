package dev.mlops.benchmarks;

import dev.mlops.packaging.ModelPackage;
import dev.mlops.serving.ModelService;
import dev.mlops.serving.ModelSource;
import dev.mlops.serving.ScoringServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code POST /invocations} over loopback, one {@code dataframe_records} row of
 * {@value #FEATURES} numeric inputs to a packaged logistic regression, one client thread: without
 * any query (the baseline), with {@code ?explain=false} (the flag read, no explanation), and with
 * {@code ?explain=true} (the exact linear explanation added). Scoring that does not ask for an
 * explanation must cost what it did.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only ExplainServing
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExplainServingBenchmark {
  static final int FEATURES = 10;

  private ScratchFolder folder;
  private ModelService service;
  private ScoringServer server;
  private HttpClient client;
  private HttpRequest plain;
  private HttpRequest explainFalse;
  private HttpRequest explainTrue;

  @Setup(Level.Trial)
  public void start() {
    folder = ScratchFolder.create("explain-serving");
    String[] features = SyntheticData.columnNames(FEATURES);
    ModelPackage pkg = ModelPackage.builder("serving-bench").version("1")
        .model(SyntheticData.classifier(features, 2_000, 41)).build();
    Path file = folder.resolve("model.mlpkg");
    pkg.writeTo(file);
    service = ModelService.builder(ModelSource.ofPackage(file), "models:/serving-bench@champion")
        .pollEvery(Duration.ZERO).build();
    server = ScoringServer.builder(service).port(0).start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Map<String, Object> row = SyntheticData.row(features, new SplittableRandom(42));
    StringBuilder body = new StringBuilder("{\"dataframe_records\":[{");
    for (int j = 0; j < FEATURES; j++) {
      body.append(j == 0 ? "" : ",").append('"').append(features[j]).append("\":").append(row.get(features[j]));
    }
    String json = body.append("}]}").toString();
    plain = request(server.uri().resolve("/invocations"), json);
    explainFalse = request(server.uri().resolve("/invocations?explain=false"), json);
    explainTrue = request(server.uri().resolve("/invocations?explain=true"), json);
  }

  private static HttpRequest request(URI uri, String json) {
    return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(30)).build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    server.close();
    service.close();
    folder.close();
  }

  private String send(HttpRequest request) {
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("status " + r.statusCode() + ": " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Benchmark
  public String score() {
    return send(plain);
  }

  @Benchmark
  public String scoreExplainFalse() {
    return send(explainFalse);
  }

  @Benchmark
  public String scoreExplained() {
    return send(explainTrue);
  }
}
