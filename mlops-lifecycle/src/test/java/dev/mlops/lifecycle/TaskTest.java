package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.core.Frame;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Model;

/** The data sets a search prepares once and its trials share. */
class TaskTest {
  private final Frame train = Blobs.frame(300, 1, 0.0);
  private final Frame selection = Blobs.frame(100, 2, 0.0);

  @Test
  void scoringOnAPreparedDataSetEqualsScoringTheRows() {
    Model<?> model = Task.CLASSIFICATION.train(Blobs.trainer(), train, Blobs.LABEL);
    Dataset<?> prepared = Task.CLASSIFICATION.dataset(selection, Blobs.LABEL);

    assertEquals(Task.CLASSIFICATION.score(model, selection, Blobs.LABEL),
        Task.CLASSIFICATION.score(model, prepared, selection, Blobs.LABEL));
  }

  @Test
  void trainersSharingOneDataSetOnTwoThreadsTrainWhatEachTrainsOnItsOwnCopy() throws Exception {
    TrialTrainers trainers = new TrialTrainers(Blobs.trainer());
    List<Map<String, String>> settings = List.of(Map.of("epochs", "2"), Map.of("epochs", "3"),
        Map.of("initialLearningRate", "0.05"), Map.of("initialLearningRate", "0.9"));
    Dataset<?> shared = Task.CLASSIFICATION.dataset(train, Blobs.LABEL);
    Dataset<?> sharedSelection = Task.CLASSIFICATION.dataset(selection, Blobs.LABEL);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Map<String, Double>>> together = settings.stream().map(s -> pool.submit(() ->
          Task.CLASSIFICATION.score(Task.CLASSIFICATION.train(trainers.configure(s), shared), sharedSelection, selection,
              Blobs.LABEL))).toList();
      for (int i = 0; i < settings.size(); i++) {
        Model<?> alone = Task.CLASSIFICATION.train(trainers.configure(settings.get(i)), train, Blobs.LABEL);
        assertEquals(Task.CLASSIFICATION.score(alone, selection, Blobs.LABEL), together.get(i).get(),
            "trial " + settings.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
