package dev.mlops.serving;

import dev.mlops.monitoring.Monitor;
import dev.mlops.monitoring.MonitorState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.tribuo.classification.Label;

/**
 * A {@link ModelService}'s meters in a Micrometer {@link MeterRegistry}: predictions by model,
 * version and label; swaps and refresh failures of the champion and the challenger; which
 * versions are served; the challenger's record; and the monitor's state, windows, lost rows and
 * alerts. Counts the service keeps anyway are read when the registry is scraped, so only a
 * prediction costs a counter increment on the request path.
 */
final class ServiceMeters implements AutoCloseable {
  static final String PREDICTIONS = "mlops.predictions";
  static final String MODEL_INFO = "mlops.model.info";
  static final String SWAPS = "mlops.model.swaps";
  static final String REFRESH_FAILURES = "mlops.model.refresh.failures";
  static final String MONITOR_ALERTS = "mlops.monitor.alerts";
  /** The label tag of a prediction whose output is not a class label. */
  static final String NO_LABEL = "none";

  private final MeterRegistry registry;
  private final List<Meter> registered = new CopyOnWriteArrayList<>();
  private final Map<ServedModel, Map<String, Counter>> predictions = new ConcurrentHashMap<>();
  private final MultiGauge info;

  ServiceMeters(MeterRegistry registry, ModelService service, ModelSlot champion, ModelSlot challenger, MonitorFeed feed) {
    this.registry = registry;
    this.info = MultiGauge.builder(MODEL_INFO)
        .description("The model versions being served, by role (always 1)").register(registry);
    slot(champion, "champion");
    if (challenger != null) {
      slot(challenger, "challenger");
      challenger(service);
    }
    registered.add(Gauge.builder("mlops.model.refresh.failing", service, s -> s.lastRefreshError().isPresent() ? 1 : 0)
        .description("1 while the version a URI points at could not be swapped in and an older one is served")
        .strongReference(true).register(registry));
    registered.add(Gauge.builder("mlops.model.loaded.timestamp", service, s -> s.current().loadedAt().toEpochMilli() / 1000.0)
        .description("When the champion being served was swapped in, in seconds since the epoch")
        .baseUnit("seconds").strongReference(true).register(registry));
    if (feed != null) {
      monitor(feed);
    }
    refreshInfo(champion, challenger);
  }

  private void slot(ModelSlot slot, String role) {
    registered.add(FunctionCounter.builder(SWAPS, slot, ModelSlot::swaps)
        .description("New model versions swapped in, by role").tag("role", role).register(registry));
    registered.add(FunctionCounter.builder(REFRESH_FAILURES, slot, ModelSlot::failures)
        .description("Refreshes that did not swap in the version the URI points at, by role").tag("role", role)
        .register(registry));
  }

  private void challenger(ModelService service) {
    for (String outcome : List.of("answered", "compared", "agreed", "failed")) {
      registered.add(FunctionCounter.builder("mlops.challenger.rows", service, s -> challengerCount(s, outcome))
          .description("Rows, by what the challenger did with them").tag("outcome", outcome).register(registry));
    }
    registered.add(Gauge.builder("mlops.challenger.agreement.ratio", service,
            s -> s.challengerStats().map(ChallengerStats::agreementRate).orElse(Double.NaN))
        .description("Share of compared rows on which champion and challenger agree").strongReference(true)
        .register(registry));
  }

  private static double challengerCount(ModelService service, String outcome) {
    return service.challengerStats().map(s -> switch (outcome) {
      case "answered" -> s.toChallenger();
      case "compared" -> s.compared();
      case "agreed" -> s.agreed();
      default -> s.challengerFailures();
    }).orElse(0L);
  }

  private void monitor(MonitorFeed feed) {
    Monitor monitor = feed.monitor();
    for (MonitorState state : MonitorState.values()) {
      registered.add(Gauge.builder("mlops.monitor.state", monitor, m -> m.state() == state ? 1 : 0)
          .description("The drift monitor's state: 1 for the current one, 0 for the others")
          .tag("state", state.name()).strongReference(true).register(registry));
      if (state != MonitorState.STABLE) {
        registered.add(FunctionCounter.builder(MONITOR_ALERTS, feed, f -> f.alerts(state))
            .description("Windows of served rows the monitor found drifted, by the state they raised")
            .tag("state", state.name()).register(registry));
      }
    }
    registered.add(FunctionCounter.builder("mlops.monitor.windows.closed", monitor, Monitor::windowsClosed)
        .description("Windows of rows the monitor has compared with its reference").register(registry));
    registered.add(FunctionCounter.builder("mlops.monitor.rows.lost", feed, f -> f.dropped() + f.failed())
        .description("Rows the monitor did not observe: dropped when it fell behind, or refused").register(registry));
  }

  /** Counts one answer under the version that gave it and its label. */
  void predicted(ServedPrediction p) {
    String label = p.prediction().getOutput() instanceof Label l ? l.getLabel() : NO_LABEL;
    predictions.computeIfAbsent(p.model(), m -> new ConcurrentHashMap<>())
        .computeIfAbsent(label, l -> predictionCounter(p.model(), l))
        .increment();
  }

  private Counter predictionCounter(ServedModel m, String label) {
    Counter c = Counter.builder(PREDICTIONS)
        .description("Rows answered, by model, version and predicted label")
        .tags("model", m.name(), "version", m.version(), "label", label)
        .register(registry);
    registered.add(c);
    return c;
  }

  /** Says which versions are served now; called after every swap. */
  void refreshInfo(ModelSlot champion, ModelSlot challenger) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    rows.add(infoRow("champion", champion.current()));
    if (challenger != null) {
      rows.add(infoRow("challenger", challenger.current()));
    }
    info.register(rows, true);
  }

  private static MultiGauge.Row<?> infoRow(String role, LoadedModel m) {
    ServedModel s = m.served();
    return MultiGauge.Row.of(Tags.of("role", role, "name", s.name(), "version", s.version(),
        "package_version", m.modelPackage().version(), "package_digest", s.packageDigest().toString(),
        "uri", s.uri().toString()), 1);
  }

  /** Takes the service's meters out of the registry, which may be the host's and outlive the service. */
  @Override
  public void close() {
    info.register(List.of(), true);
    registered.forEach(registry::remove);
    registered.clear();
    predictions.clear();
  }
}
