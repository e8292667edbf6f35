package dev.mlops.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.Alert;
import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.MonitorState;
import dev.mlops.monitoring.Profile;
import dev.mlops.monitoring.Window;
import dev.mlops.packaging.ModelPackage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.Label;

/** Every answered row, with its prediction, reaches the monitor; its state shows in the metrics. */
class MonitoredServiceTest {
  private static final Schema COLUMNS = Schema.of(
      Field.of("x1", FieldType.DOUBLE), Field.of("x2", FieldType.DOUBLE), Field.of("prediction", FieldType.STRING));

  @TempDir Path dir;

  private ModelService service(Monitor monitor) {
    return service(monitor, new SimpleMeterRegistry());
  }

  private ModelService service(Monitor monitor, MeterRegistry registry) {
    FolderModelSource source = new FolderModelSource(dir);
    source.register("clf", TestModels.pkg("clf", "a", TestModels.RISING));
    source.setAlias("clf", "champion", 1);
    return ModelService.builder(source, "models:/clf@champion").pollEvery(Duration.ZERO).monitor(monitor)
        .meterRegistry(registry).build();
  }

  private static double alertsCounted(MeterRegistry registry) {
    return registry.find(ServiceMeters.MONITOR_ALERTS).functionCounters().stream().mapToDouble(c -> c.count()).sum();
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
    List<Alert> alerts = new CopyOnWriteArrayList<>();
    try (Monitor monitor = Monitor.builder(reference(TestModels.rows(300, 20))).window(Window.ofCount(100))
        .onAlert(alerts::add).build()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ModelService service = service(monitor, registry);
      for (Map<String, Object> row : TestModels.rows(200, 22)) {
        Map<String, Object> shifted = new HashMap<>(row);
        shifted.put("x1", Math.abs((Double) row.get("x1")) + 5);
        service.predict(shifted);
      }
      // The monitor is fed from the service's own thread; wait, bounded, for both windows' alerts.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (alertsCounted(registry) < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(2, alerts.size());
      assertEquals(MonitorState.DRIFT, monitor.state());
      assertTrue(monitor.lastReport().orElseThrow().column("prediction").drifted(), "every answer is now 'pos'");
      assertEquals(1.0, registry.get("mlops.monitor.state").tag("state", "DRIFT").gauge().value());
      assertEquals(0.0, registry.get("mlops.monitor.state").tag("state", "STABLE").gauge().value());
      assertEquals(2.0, registry.get("mlops.monitor.windows.closed").functionCounter().count());
      for (MonitorState state : List.of(MonitorState.WARNING, MonitorState.DRIFT)) {
        assertEquals(alerts.stream().filter(a -> a.state() == state).count(),
            registry.get(ServiceMeters.MONITOR_ALERTS).tag("state", state.name()).functionCounter().count(),
            "the metric counts the monitor's own alerts of state " + state);
      }
      assertEquals(0.0, registry.get("mlops.monitor.rows.lost").functionCounter().count());
      service.close();
    }
  }
}
