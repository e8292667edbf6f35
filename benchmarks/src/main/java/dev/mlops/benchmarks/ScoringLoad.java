package dev.mlops.benchmarks;

import dev.mlops.core.CanonicalJson;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.serving.ModelService;
import dev.mlops.serving.ModelSource;
import dev.mlops.serving.ScoringServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * Load on a {@link ScoringServer} over loopback: several client threads share one JDK
 * {@link HttpClient} and each sends one row per request ({@code dataframe_records}), waiting for
 * each answer before the next (a closed loop). A warm-up phase is followed by a measured phase;
 * both stop at a request count or a time limit, whichever comes first. The server runs with its
 * default worker threads. The server and the clients share the machine's cores, as they would on
 * a small host with a local caller.
 *
 * <pre>{@code
 * ScoringLoad.Result r = ScoringLoad.run(ScoringLoad.Settings.DEFAULT);
 * r.requestsPerSecond(); r.p99Millis();
 * }</pre>
 */
final class ScoringLoad {
  private static final int FEATURES = 10;
  private static final int BODIES = 256;

  /**
   * How hard and how long to push. The warm-up is long because on two cores the JIT compilers
   * of client and server compete with the load itself: the first ten thousand requests run at
   * half the speed of the rest.
   */
  record Settings(int clientThreads, int warmupRequests, int measuredRequests, Duration timeLimit) {
    static final Settings DEFAULT = new Settings(4, 50_000, 60_000, Duration.ofSeconds(20));
    static final Settings LONG = new Settings(4, 100_000, 300_000, Duration.ofSeconds(90));
    static final Settings TINY = new Settings(2, 50, 200, Duration.ofSeconds(10));
  }

  /**
   * What the measured phase saw; latencies are from sending a request to reading its whole
   * answer. {@code firstError} describes the first failed request, empty when none failed.
   */
  record Result(long requests, long errors, String firstError, double seconds, double p50Millis, double p99Millis,
      double maxMillis) {
    double requestsPerSecond() {
      return requests / seconds;
    }
  }

  private ScoringLoad() {}

  static Result run(Settings settings) throws IOException, InterruptedException {
    try (ScratchFolder folder = ScratchFolder.create("serving")) {
      String[] features = SyntheticData.columnNames(FEATURES);
      Model<Label> model = SyntheticData.classifier(features, 2_000, 41);
      Path file = folder.resolve("bench.mlpkg");
      ModelPackage.builder("bench").version("1").model(model).build().writeTo(file);
      try (ModelService service = ModelService.builder(ModelSource.ofPackage(file), "models:/bench@champion")
              .pollEvery(Duration.ZERO)
              .build();
          ScoringServer server = ScoringServer.builder(service).port(0).start()) {
        URI invocations = server.uri().resolve("/invocations");
        List<byte[]> bodies = requestBodies(features);
        HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
        phase(client, invocations, bodies, settings.clientThreads(), settings.warmupRequests(), settings.timeLimit());
        return phase(client, invocations, bodies, settings.clientThreads(), settings.measuredRequests(),
            settings.timeLimit());
      }
    }
  }

  private static List<byte[]> requestBodies(String[] features) {
    SplittableRandom random = new SplittableRandom(42);
    return IntStream.range(0, BODIES)
        .mapToObj(i -> CanonicalJson.toBytes(Map.of("dataframe_records", List.of(SyntheticData.row(features, random)))))
        .toList();
  }

  private static Result phase(HttpClient client, URI uri, List<byte[]> bodies, int threads, int requests,
      Duration limit) throws InterruptedException {
    AtomicLong next = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>("");
    long[] latencies = new long[requests];
    long deadline = System.nanoTime() + limit.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    try {
      List<Future<?>> clients = IntStream.range(0, threads).<Future<?>>mapToObj(t -> pool.submit(() -> {
        for (long i; (i = next.getAndIncrement()) < requests && System.nanoTime() < deadline; ) {
          HttpRequest request = HttpRequest.newBuilder(uri)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get((int) (i % bodies.size()))))
              .build();
          long sent = System.nanoTime();
          try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
              errors.incrementAndGet();
              String body = new String(response.body(), StandardCharsets.UTF_8);
              firstError.compareAndSet("", "HTTP " + response.statusCode() + " "
                  + body.substring(0, Math.min(200, body.length())));
            }
          } catch (IOException e) {
            errors.incrementAndGet();
            firstError.compareAndSet("", e.toString());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          latencies[(int) i] = System.nanoTime() - sent;
        }
      })).toList();
      for (Future<?> f : clients) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("a load client failed", e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int done = (int) Math.min(next.get(), requests);
    long[] measured = Arrays.stream(latencies, 0, done).filter(l -> l > 0).sorted().toArray();
    return new Result(measured.length, errors.get(), firstError.get(), seconds,
        percentileMillis(measured, 0.50), percentileMillis(measured, 0.99),
        measured.length == 0 ? Double.NaN : measured[measured.length - 1] / 1e6);
  }

  private static double percentileMillis(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
