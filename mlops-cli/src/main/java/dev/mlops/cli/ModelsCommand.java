package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.Tracker;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mlops models}: the registered models, or one model's versions with their aliases and
 * lineage (the run, the package digest, the training data's digest).
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "Without NAME: list the registered models, their latest version and aliases.",
      "With NAME: list its versions with their aliases and lineage: run, package digest, data sets."
    })
final class ModelsCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "NAME", description = "A registered model's name.")
  String name;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Mixin TrackingOptions tracking;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Tracker tracker = tracking.open()) {
      ModelRegistry registry = tracker.registry();
      if (name == null) {
        printModels(registry.search("%"), out);
      } else {
        registry.model(name);   // a model that does not exist is named as such, not listed as empty
        printVersions(registry.versions(name), out);
      }
    }
    out.flush();
    return 0;
  }

  private void printModels(List<RegisteredModel> models, PrintWriter out) {
    if (json) {
      ArrayNode array = CanonicalJson.array();
      for (RegisteredModel m : models) {
        ObjectNode node = array.addObject();
        node.put("name", m.name());
        node.put("latest_version", m.latestVersion());
        ObjectNode aliases = node.putObject("aliases");
        m.aliases().forEach(aliases::put);
        Json.putStrings(node, "tags", m.tags());
        node.put("description", m.description());
      }
      out.println(CanonicalJson.toPrettyString(array));
      return;
    }
    Table table = Table.of("NAME", "LATEST", "ALIASES");
    for (RegisteredModel m : models) {
      String aliases = m.aliases().entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(" "));
      table.row(m.name(), Integer.toString(m.latestVersion()), aliases);
    }
    table.print(out);
  }

  private void printVersions(List<ModelVersion> versions, PrintWriter out) {
    if (json) {
      ArrayNode array = CanonicalJson.array();
      for (ModelVersion v : versions) {
        ObjectNode node = array.addObject();
        node.put("name", v.modelName());
        node.put("version", v.version());
        node.put("uri", v.uri());
        ArrayNode aliases = node.putArray("aliases");
        v.aliases().forEach(aliases::add);
        node.put("run_id", v.runId().orElse(null));
        node.put("artifact", v.artifactName().orElse(null));
        node.put("package_digest", v.packageDigest().toString());
        ArrayNode datasets = node.putArray("datasets");
        for (DatasetInput d : v.datasets()) {
          datasets.addObject().put("name", d.name()).put("digest", d.digest().toString()).put("context", d.context());
        }
        Json.putStrings(node, "tags", v.tags());
        node.put("created", Json.instant(v.creationTime()));
      }
      out.println(CanonicalJson.toPrettyString(array));
      return;
    }
    Table table = Table.of("VERSION", "ALIASES", "RUN", "PACKAGE DIGEST", "DATA", "CREATED");
    for (ModelVersion v : versions) {
      table.row(
          Integer.toString(v.version()),
          String.join(",", v.aliases()),
          v.runId().orElse("-"),
          v.packageDigest().toString(),
          v.datasets().stream().map(d -> d.name() + "@" + d.digest()).collect(Collectors.joining(" ")),
          Json.instant(v.creationTime()));
    }
    table.print(out);
  }
}
