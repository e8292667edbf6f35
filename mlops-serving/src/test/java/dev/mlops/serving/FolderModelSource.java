package dev.mlops.serving;

import dev.mlops.core.NotFoundException;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.ModelUri;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model registry kept in a folder: every registered package is written as
 * {@code <name>-<version>.mlpkg} with its digest recorded, and aliases live in a map the test
 * moves. It behaves as the tracking registry does for a service: versions are numbered from 1,
 * an alias resolves to the version it points at now, and the recorded digest travels along.
 */
final class FolderModelSource implements ModelSource {
  private final Path folder;
  private final Map<String, List<ResolvedModel>> versions = new HashMap<>();
  private final Map<String, Integer> aliases = new HashMap<>();

  FolderModelSource(Path folder) {
    this.folder = folder;
  }

  /** Stores the package as the model's next version and returns the version number. */
  synchronized int register(String model, ModelPackage pkg) {
    List<ResolvedModel> list = versions.computeIfAbsent(model, m -> new ArrayList<>());
    int version = list.size() + 1;
    Path file = file(model, version);
    pkg.writeTo(file);
    list.add(ResolvedModel.ofFile(model, Integer.toString(version), file, pkg.digest()));
    return version;
  }

  synchronized void setAlias(String model, String alias, int version) {
    aliases.put(model + "@" + alias, version);
  }

  Path file(String model, int version) {
    return folder.resolve(model + "-" + version + ".mlpkg");
  }

  @Override
  public synchronized ResolvedModel resolve(ModelUri uri) {
    int version = uri.isAlias()
        ? aliases.getOrDefault(uri.name() + "@" + uri.alias(), 0)
        : uri.version();
    List<ResolvedModel> list = versions.getOrDefault(uri.name(), List.of());
    if (version < 1 || version > list.size()) {
      throw new NotFoundException("no model version for " + uri);
    }
    return list.get(version - 1);
  }
}
