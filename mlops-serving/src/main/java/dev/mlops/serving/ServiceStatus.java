package dev.mlops.serving;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import java.util.regex.Pattern;

/**
 * What the scoring server tells about its {@link ModelService} as JSON: {@code /version} and
 * {@code /health}. Both give the version twice, unambiguously: {@code registry_version}, the
 * number the registry gave the version (null when the source names versions otherwise: a package
 * file is known by its own version string, which is then the version unless it is a whole
 * number), and {@code package_version}, the version string recorded in the package's manifest.
 */
final class ServiceStatus {
  private static final Pattern REGISTRY_NUMBER = Pattern.compile("[1-9][0-9]{0,9}");

  private ServiceStatus() {}

  /** {@code GET /version}: the champion, and the challenger when there is one. */
  static ObjectNode version(ModelService service) {
    ObjectNode root = model(service.loaded());
    service.challenger().ifPresent(c -> root.set("challenger", model(service.loadedChallenger())));
    return root;
  }

  /** {@code GET /health}: serving, what, and whether the latest refresh failed. */
  static ObjectNode health(ModelService service) {
    ObjectNode root = CanonicalJson.object();
    LoadedModel m = service.loaded();
    root.put("status", "serving");
    root.put("name", m.served().name());
    versions(root, m);
    service.lastRefreshError().ifPresent(f -> root.put("refresh_error", f.message()));
    return root;
  }

  private static ObjectNode model(LoadedModel loaded) {
    ServedModel m = loaded.served();
    ObjectNode node = CanonicalJson.object();
    node.put("name", m.name());
    node.put("version", m.version());
    versions(node, loaded);
    node.put("package_digest", m.packageDigest().toString());
    node.put("uri", m.uri().toString());
    node.put("loaded_at", m.loadedAt().toString());
    return node;
  }

  private static void versions(ObjectNode node, LoadedModel m) {
    String resolved = m.served().version();
    if (REGISTRY_NUMBER.matcher(resolved).matches()) {
      node.put("registry_version", Long.parseLong(resolved));
    } else {
      node.putNull("registry_version");
    }
    node.put("package_version", m.modelPackage().version());
  }
}
