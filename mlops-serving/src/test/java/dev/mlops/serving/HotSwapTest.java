package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Predictor;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/** An alias moved while clients send requests from several threads. */
class HotSwapTest {
  private static final int CLIENTS = 4;
  private static final int BEFORE = 150;
  private static final int AFTER = 150;

  @TempDir Path dir;

  /** One answer as a client saw it. */
  private record Answer(int row, boolean sentAfterSwap, int status, JsonNode body) {}

  @Test
  void noRequestFailsAndEveryAnswerIsFromTheOldOrTheNewVersionThenOnlyTheNew() throws Exception {
    FolderModelSource source = new FolderModelSource(dir);
    ModelPackage old = TestModels.pkg("clf", "a", TestModels.RISING);
    ModelPackage next = TestModels.pkg("clf", "b", TestModels.FALLING);
    source.register("clf", old);
    source.register("clf", next);
    source.setAlias("clf", "champion", 1);
    List<Map<String, Object>> rows = TestModels.rows(64, 5);
    List<String> bodies = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      ObjectNode body = CanonicalJson.object();
      body.putArray("dataframe_records").addObject().put("x1", (Double) row.get("x1")).put("x2", (Double) row.get("x2"));
      bodies.add(CanonicalJson.toString(body));
    }

    AtomicBoolean swapped = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger sentAfter = new AtomicInteger();
    CountDownLatch enoughBefore = new CountDownLatch(BEFORE);
    List<Answer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try (ModelService service = ModelService.builder(source, "models:/clf@champion").pollEvery(Duration.ZERO).build();
         ScoringServer server = ScoringServer.builder(service).port(0).threads(CLIENTS).start()) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        running.add(clients.submit(() -> {
          while (!stop.get()) {
            int i = Math.floorMod(sent.getAndIncrement(), rows.size());
            boolean after = swapped.get();
            HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/invocations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            answers.add(new Answer(i, after, r.statusCode(), CanonicalJson.parse(r.body())));
            enoughBefore.countDown();
            if (after && sentAfter.incrementAndGet() >= AFTER) {
              stop.set(true);
            }
          }
          return null;
        }));
      }
      enoughBefore.await();
      source.setAlias("clf", "champion", 2);
      assertTrue(service.refresh());
      swapped.set(true);
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      clients.shutdownNow();
    }

    Predictor<Label> oldPredictor = old.predictor(Label.class);
    Predictor<Label> newPredictor = next.predictor(Label.class);
    int fromOld = 0;
    for (Answer a : answers) {
      assertEquals(200, a.status(), a.body().toString());
      JsonNode got = a.body();
      boolean isOld = matches(got, oldPredictor.predict(rows.get(a.row())));
      boolean isNew = matches(got, newPredictor.predict(rows.get(a.row())));
      assertTrue(isOld || isNew, "an answer from neither version: " + got);
      if (a.sentAfterSwap()) {
        assertTrue(isNew, "a request sent after the swap was answered by the old version: " + got);
      }
      fromOld += isOld ? 1 : 0;
    }
    assertTrue(fromOld >= BEFORE - CLIENTS, "the old version answered " + fromOld + " requests");
    assertTrue(answers.stream().filter(Answer::sentAfterSwap).count() >= AFTER);
  }

  /** Whether the answer carries exactly this prediction's label and scores. */
  private static boolean matches(JsonNode answer, Prediction<Label> expected) {
    if (!answer.get("predictions").get(0).asText().equals(expected.getOutput().getLabel())) {
      return false;
    }
    JsonNode scores = answer.get("scores").get(0);
    for (Map.Entry<String, Label> e : expected.getOutputScores().entrySet()) {
      if (scores.get(e.getKey()).doubleValue() != e.getValue().getScore()) {
        return false;
      }
    }
    return true;
  }
}
