package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.packaging.ModelPackage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlops show}: a package's manifest, signature and lineage as JSON, after verifying it. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Print a verified package's manifest, signature and lineage as one JSON object.")
final class ShowCommand implements Callable<Integer> {
  /** The parts of a package {@code show} prints. */
  enum Part { manifest, signature, lineage }

  @Mixin PackageTarget target;
  @Spec CommandSpec spec;

  @Option(names = "--only", paramLabel = "PART", description = "Print only this part: ${COMPLETION-CANDIDATES}.")
  Part only;

  @Override
  public Integer call() {
    String json = target.read(this::render);
    spec.commandLine().getOut().println(json);
    return 0;
  }

  private String render(ModelPackage pkg) {
    ObjectNode all = CanonicalJson.object();
    all.set(Part.manifest.name(), pkg.manifest().toJsonNode());
    all.set(Part.signature.name(), pkg.signature().toJsonNode());
    all.set(Part.lineage.name(), pkg.lineage().map(CanonicalJson::toTree).orElse(null));
    return CanonicalJson.toPrettyString(only == null ? all : all.get(only.name()));
  }
}
