package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.MonitorState;
import dev.mlops.monitoring.Profile;
import dev.mlops.monitoring.Window;
import dev.mlops.packaging.ModelPackage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.Label;

/** Every answered row, with its prediction, reaches the monitor; its state shows in the metrics. */
class MonitoredServiceTest {
  private static final Schema COLUMNS = Schema.of(
      Field.of("x1", FieldType.DOUBLE), Field.of("x2", FieldType.DOUBLE), Field.of("prediction", FieldType.STRING));

  @TempDir Path dir;

  private ModelService service(Monitor monitor) {
    FolderModelSource source = new FolderModelSource(dir);
    source.register("clf", TestModels.pkg("clf", "a", TestModels.RISING));
    source.setAlias("clf", "champion", 1);
    return ModelService.builder(source, "models:/clf@champion").pollEvery(Duration.ZERO).monitor(monitor).build();
  }

  /** The reference: the training-like rows with the model's own predictions. */
  private static Profile reference(List<Map<String, Object>> rows) {
    ModelPackage pkg = TestModels.pkg("clf", "a", TestModels.RISING);
    FrameBuilder b = Frame.builder(COLUMNS);
    for (Map<String, Object> row : rows) {
      b.row(row.get("x1"), row.get("x2"), pkg.predictor(Label.class).predict(row).getOutput().getLabel());
    }
    return Profile.of(b.build());
  }

  @Test
  void everyAnsweredRowReachesTheMonitorWindowByWindow() {
    List<Map<String, Object>> rows = TestModels.rows(250, 21);
    try (Monitor monitor = Monitor.builder(reference(TestModels.rows(300, 20))).window(Window.ofCount(100)).build()) {
      ModelService service = service(monitor);
      rows.forEach(service::predict);
      service.close();
      assertEquals(2, monitor.windowsClosed());
      assertEquals(50, monitor.openWindowRows());
      assertTrue(monitor.lastReport().orElseThrow().column("prediction").tested(), "the prediction column is watched");
      assertEquals(MonitorState.STABLE, monitor.state());
    }
  }

  @Test
  void driftedRequestsShowInTheMetrics() {
    try (Monitor monitor = Monitor.builder(reference(TestModels.rows(300, 20))).window(Window.ofCount(100)).build()) {
      ModelService service = service(monitor);
      for (Map<String, Object> row : TestModels.rows(200, 22)) {
        Map<String, Object> shifted = new HashMap<>(row);
        shifted.put("x1", Math.abs((Double) row.get("x1")) + 5);
        service.predict(shifted);
      }
      service.close();
      assertEquals(MonitorState.DRIFT, monitor.state());
      assertTrue(monitor.lastReport().orElseThrow().column("prediction").drifted(), "every answer is now 'pos'");
      PrometheusText text = new PrometheusText();
      ServiceStatus.writeMetrics(service, text);
      assertTrue(text.toString().contains("mlops_monitor_state{state=\"DRIFT\"} 1\n"), text.toString());
      assertTrue(text.toString().contains("mlops_monitor_state{state=\"STABLE\"} 0\n"), text.toString());
      assertTrue(text.toString().contains("mlops_monitor_windows_closed_total 2\n"), text.toString());
      assertTrue(text.toString().contains("mlops_monitor_rows_lost_total 0\n"), text.toString());
    }
  }
}
