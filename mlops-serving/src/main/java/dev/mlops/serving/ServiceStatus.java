package dev.mlops.serving;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.monitoring.MonitorState;

/** What the scoring server tells about its {@link ModelService}: {@code /version} and {@code /health} as JSON, and the model's samples for {@code /metrics}. */
final class ServiceStatus {
  private ServiceStatus() {}

  /** {@code GET /version}: the champion, and the challenger when there is one. */
  static ObjectNode version(ModelService service) {
    ObjectNode root = model(service.current());
    service.challenger().ifPresent(c -> root.set("challenger", model(c)));
    return root;
  }

  /** {@code GET /health}: serving, what, and whether the latest refresh failed. */
  static ObjectNode health(ModelService service) {
    ObjectNode root = CanonicalJson.object();
    ServedModel m = service.current();
    root.put("status", "serving");
    root.put("name", m.name());
    root.put("version", m.version());
    service.lastRefreshError().ifPresent(f -> root.put("refresh_error", f.message()));
    return root;
  }

  private static ObjectNode model(ServedModel m) {
    ObjectNode node = CanonicalJson.object();
    node.put("name", m.name());
    node.put("version", m.version());
    node.put("package_digest", m.packageDigest().toString());
    node.put("uri", m.uri().toString());
    node.put("loaded_at", m.loadedAt().toString());
    return node;
  }

  /** The model's samples for {@code GET /metrics}. */
  static void writeMetrics(ModelService service, PrometheusText out) {
    ServedModel m = service.current();
    out.family("mlops_model_info", "gauge", "The model version being served (always 1).");
    out.sample("mlops_model_info", 1, "name", m.name(), "version", m.version(),
        "package_digest", m.packageDigest().toString(), "uri", m.uri().toString());
    out.family("mlops_model_loaded_timestamp_seconds", "gauge", "When the served version was swapped in.");
    out.sample("mlops_model_loaded_timestamp_seconds", m.loadedAt().toEpochMilli() / 1000.0);
    out.family("mlops_model_refresh_failing", "gauge",
        "1 when the version the URI points at could not be swapped in and an older one is served.");
    out.sample("mlops_model_refresh_failing", service.lastRefreshError().isPresent() ? 1 : 0);
    service.challenger().ifPresent(c -> {
      ChallengerStats s = service.challengerStats().orElseThrow();
      out.family("mlops_challenger_info", "gauge", "The challenger version (always 1).");
      out.sample("mlops_challenger_info", 1, "name", c.name(), "version", c.version(),
          "package_digest", c.packageDigest().toString(), "uri", c.uri().toString());
      out.family("mlops_challenger_rows_total", "counter", "Rows, by what the challenger did with them.");
      out.sample("mlops_challenger_rows_total", s.toChallenger(), "outcome", "answered");
      out.sample("mlops_challenger_rows_total", s.compared(), "outcome", "compared");
      out.sample("mlops_challenger_rows_total", s.agreed(), "outcome", "agreed");
      out.sample("mlops_challenger_rows_total", s.challengerFailures(), "outcome", "failed");
      out.family("mlops_challenger_agreement_ratio", "gauge", "Share of compared rows on which champion and challenger agree.");
      out.sample("mlops_challenger_agreement_ratio", s.agreementRate());
    });
    service.monitor().ifPresent(monitor -> {
      MonitorState now = monitor.state();
      out.family("mlops_monitor_state", "gauge", "The drift monitor's state: 1 for the current one, 0 for the others.");
      for (MonitorState state : MonitorState.values()) {
        out.sample("mlops_monitor_state", state == now ? 1 : 0, "state", state.name());
      }
      out.family("mlops_monitor_windows_closed_total", "counter", "Windows of rows the monitor has compared with its reference.");
      out.sample("mlops_monitor_windows_closed_total", monitor.windowsClosed());
      out.family("mlops_monitor_rows_lost_total", "counter", "Rows the monitor did not observe: dropped when it fell behind, or refused.");
      out.sample("mlops_monitor_rows_lost_total", service.monitorRowsLost());
    });
  }
}
