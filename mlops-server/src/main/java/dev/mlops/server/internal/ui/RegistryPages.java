package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.explain.ModelCard;
import dev.mlops.server.Permission;
import dev.mlops.server.internal.Wire;
import dev.mlops.tracking.ArtifactInfo;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.ModelUri;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Tracker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry: the models, one model's versions, aliases, tags and description with forms
 * to rename it, edit its description and move or remove an alias, and one version with its
 * signature, its lineage drawn as a chain from the training data's digest to its aliases, forms to
 * tag it and edit its description, and its model card: the one its run logged, else one generated
 * by {@link ModelCard} and shown in a sandboxed frame. A run in an experiment the user may not
 * read is named without a link.
 */
final class RegistryPages {
  private static final long MAX_CARD = 256 * 1024;

  private final Tracker tracker;
  private final Clock clock;

  RegistryPages(Tracker tracker, Clock clock) {
    this.tracker = tracker;
    this.clock = clock;
  }

  UiPage models(UiRequest r) {
    String q = r.param("q", "");
    List<RegisteredModel> models = tracker.registry().search("%" + q.replace("%", "").replace("_", "") + "%").stream()
        .filter(m -> r.access().readsModel(m.name())).toList();
    ObjectNode data = Wire.object();
    ArrayNode list = data.putArray("registered_models");
    Html h = new Html();
    h.markup("<form class=\"bar\" method=\"get\" action=\"/ui/models\"><input type=\"search\" name=\"q\""
        + " placeholder=\"search by name\"").attribute("value", q).markup("><button type=\"submit\">Search</button>"
        + "</form><table class=\"grid\" id=\"registered-models\"><thead>")
        .headerRow("Model", "Latest version", "Aliases", "Description", "Updated").markup("</thead><tbody>");
    for (RegisteredModel m : models) {
      list.add(Wire.registeredModel(m, null));
      h.markup("<tr><td>").link("/ui/models/" + Html.segment(m.name()), m.name()).markup("</td><td class=\"num\">")
          .text(Integer.toString(m.latestVersion())).markup("</td><td>");
      aliases(h, m.name(), m.aliases());
      h.markup("</td><td>").text(m.description()).markup("</td><td>").text(Html.time(m.lastUpdateTime()))
          .markup("</td></tr>");
    }
    h.markup("</tbody></table>");
    if (models.isEmpty()) {
      h.element("p", "note", "No registered models; register one with tracker.registry().register(name, run, artifact).");
    }
    return new UiPage("Models", h, data);
  }

  UiPage model(String name, UiRequest r) {
    RegisteredModel m = tracker.registry().model(name);
    List<ModelVersion> versions = tracker.registry().versions(name);
    // a version's run may be in an experiment the user may not read: shown, but not as a link;
    // each run's experiment is looked up once, and not at all on a server without users
    Map<String, Optional<String>> readable = new HashMap<>();
    ObjectNode data = Wire.object();
    data.set("registered_model", Wire.registeredModel(m, null));
    ArrayNode list = data.putArray("model_versions");
    Html h = new Html();
    String base = "/ui/models/" + Html.segment(name);
    boolean edits = r.access().mayOnModel(name, Permission.EDIT);
    h.markup("<p class=\"crumbs\">").link("/ui/models", "Models").markup(" / ").text(name).markup("</p>");
    if (!m.description().isEmpty()) {
      h.element("p", "description", m.description());
    }
    if (edits || r.access().mayOnModel(name, Permission.MANAGE)) {
      h.markup("<section class=\"actions\">");
      if (r.access().mayOnModel(name, Permission.MANAGE)) {
        UiForms.rename(h, "rename-model", base + "/rename", name, r);
      }
      if (edits) {
        UiForms.description(h, "model-description", base + "/description", m.description(), r);
      }
      h.markup("</section>");
    }
    h.markup("<h2>Aliases</h2><p id=\"aliases\">");
    aliases(h, name, m.aliases());
    h.markup("</p>");
    if (edits) {
      for (String alias : m.aliases().keySet()) {
        UiForms.open(h, "delete-alias-" + alias, base + "/delete-alias", r).hidden("alias", alias)
            .markup("<button type=\"submit\" class=\"remove\">").text("Remove @" + alias).markup("</button></form> ");
      }
      UiForms.open(h, "alias-form", base + "/alias", r)
          .markup("<input name=\"alias\" placeholder=\"alias\" required> \u2192 version <select name=\"version\">");
      for (int i = versions.size() - 1; i >= 0; i--) {
        h.markup("<option").attribute("value", Integer.toString(versions.get(i).version())).markup(">")
            .text(Integer.toString(versions.get(i).version())).markup("</option>");
      }
      h.markup("</select> <button type=\"submit\">Set alias</button></form>");
    }
    tags(h, m.tags());
    h.markup("<h2>Versions</h2><table class=\"grid\" id=\"versions\"><thead>")
        .headerRow("Version", "Aliases", "Run", "Package digest", "Registered").markup("</thead><tbody>");
    for (int i = versions.size() - 1; i >= 0; i--) {
      ModelVersion v = versions.get(i);
      list.add(Wire.modelVersion(v));
      h.markup("<tr><td>").link(versionPath(v), "v" + v.version()).markup("</td><td>")
          .text(String.join(", ", v.aliases())).markup("</td><td>");
      if (v.runId().isPresent()) {
        String id = v.runId().get();
        runLink(h, id, id.substring(0, Math.min(8, id.length())), r.access().user().isEmpty()
            || readable.computeIfAbsent(id, this::experimentOf).filter(r.access()::readsExperiment).isPresent());
      }
      h.markup("</td><td><code>").text(v.packageDigest().toString()).markup("</code></td><td>")
          .text(Html.time(v.creationTime())).markup("</td></tr>");
    }
    h.markup("</tbody></table>");
    return new UiPage(name, h, data);
  }

  UiPage version(String name, int number, UiRequest r) {
    ModelVersion v = tracker.registry().version(name, number);
    ObjectNode data = Wire.object();
    data.set("model_version", Wire.modelVersion(v));
    Html h = new Html();
    h.markup("<p class=\"crumbs\">").link("/ui/models", "Models").markup(" / ")
        .link("/ui/models/" + Html.segment(name), name).markup(" / ").text("v" + number).markup("</p>");
    if (!v.description().isEmpty()) {
      h.element("p", "description", v.description());
    }
    String base = versionPath(v);
    if (r.access().mayOnModel(name, Permission.EDIT)) {
      h.markup("<section class=\"actions\">");
      UiForms.description(h, "version-description", base + "/description", v.description(), r);
      UiForms.tag(h, "tag-version", base + "/tag", r);
      h.markup("</section>");
    }
    // the run's data sets, name and model card are the experiment's, shown only to who may read it
    Optional<RunRecord> run = v.runId().flatMap(id -> {
      try {
        return Optional.of(tracker.getRun(id));
      } catch (RuntimeException gone) {
        return Optional.empty();
      }
    }).filter(found -> r.access().readsExperiment(found.experimentId()));

    h.markup("<h2>Lineage</h2><ol class=\"lineage\" id=\"lineage\">");
    ArrayNode chain = data.putArray("lineage");
    List<DatasetInput> datasets = v.datasets().isEmpty() ? run.map(RunRecord::datasets).orElse(List.of()) : v.datasets();
    if (datasets.isEmpty()) {
      h.markup("<li class=\"node missing\"><span class=\"kind\">data set</span>none recorded</li>");
    }
    for (DatasetInput d : datasets) {
      chain.addObject().put("kind", "dataset").put("name", d.name()).put("digest", d.digest().toString());
      h.markup("<li class=\"node dataset\"><span class=\"kind\">data set</span>").text(d.name())
          .markup("<code>").text(d.digest().toString()).markup("</code></li>");
    }
    h.markup("<li class=\"node run\"><span class=\"kind\">run</span>");
    if (v.runId().isPresent()) {
      chain.addObject().put("kind", "run").put("run_id", v.runId().get());
      runLink(h, v.runId().get(), run.map(RunRecord::name).orElse(v.runId().get()), run.isPresent());
      h.markup("<code>").text(v.runId().get()).markup("</code>");
    } else {
      h.text("registered from a file");
    }
    h.markup("</li><li class=\"node package\"><span class=\"kind\">package</span>")
        .text(v.artifactName().orElse(v.packagePath().getFileName().toString())).markup("<code>")
        .text(v.packageDigest().toString()).markup("</code></li>");
    chain.addObject().put("kind", "package").put("digest", v.packageDigest().toString());
    h.markup("<li class=\"node version\"><span class=\"kind\">version</span>").text(name + " v" + number)
        .markup("</li>");
    chain.addObject().put("kind", "version").put("name", name).put("version", number);
    for (String alias : v.aliases()) {
      chain.addObject().put("kind", "alias").put("alias", alias);
      h.markup("<li class=\"node alias\"><span class=\"kind\">alias</span>").text("@" + alias).markup("</li>");
    }
    h.markup("</ol>");

    h.markup("<h2>Signature</h2><table class=\"grid\" id=\"signature\"><thead>").headerRow("Input", "Type", "Required")
        .markup("</thead><tbody>");
    v.signature().inputs().fields().forEach(f -> h.row(f.name(), f.type().toString(), f.required() ? "yes" : "no"));
    h.markup("</tbody></table><p>").text("Output: " + v.signature().outputType()
        + (v.signature().outputDomain().isEmpty() ? "" : " " + v.signature().outputDomain())).markup("</p>");
    tags(h, v.tags());
    Optional<String> logged = run.flatMap(this::card);
    logged.ifPresent(card -> {
      data.put("model_card", card);
      h.markup("<h2>Model card</h2><pre class=\"card\" id=\"model-card\">").text(card).markup("</pre>");
    });
    // without a logged card, one is generated from the registry and the run, which only who reads the run may see
    if (logged.isEmpty() && (v.runId().isEmpty() || run.isPresent())) {
      data.put("model_card_url", base + "/card");
      h.markup("<h2>Model card</h2><p class=\"note\">Generated from the registry and the run; ")
          .link(base + "/card", "open it alone").markup(", or ").link(base + "/card?format=json", "as JSON")
          .markup(".</p><iframe class=\"report card\" id=\"model-card-frame\" sandbox title=\"model card\"")
          .attribute("src", base + "/card").markup("></iframe>");
    }
    return new UiPage(name + " v" + number, h, data);
  }

  /** The generated model card of a version as its JSON, refused to who may not read the version's run. */
  UiPage card(String name, int number, UiRequest r) {
    ModelCard card = generated(name, number, r);
    ObjectNode data = (ObjectNode) CanonicalJson.parse(card.toJson());
    return new UiPage("Model card of " + name + " v" + number, new Html(), data);
  }

  /** The generated model card of a version as its own self-contained page, every value escaped by the card. */
  String cardHtml(String name, int number, UiRequest r) {
    return generated(name, number, r).toHtml();
  }

  private ModelCard generated(String name, int number, UiRequest r) {
    ModelVersion v = tracker.registry().version(name, number);
    v.runId().ifPresent(id -> r.access().run(id, Permission.READ));
    return ModelCard.builder(tracker, ModelUri.version(v.modelName(), v.version()).toString()).clock(clock).build();
  }

  private Optional<String> experimentOf(String runId) {
    try {
      return Optional.of(tracker.getRun(runId).experimentId());
    } catch (RuntimeException gone) {
      return Optional.empty();
    }
  }

  // A run as a link for who may read it, as plain text saying so for anyone else.
  private static void runLink(Html h, String runId, String label, boolean readable) {
    if (readable) {
      h.link("/ui/runs/" + Html.segment(runId), label);
    } else {
      h.markup("<span class=\"hidden-run\" title=\"in an experiment you may not read\">").text(label)
          .markup(" <span class=\"badge\">not visible to you</span></span>");
    }
  }

  // A model card the run logged: a Markdown or text file named like model-card.md or MODEL_CARD.md.
  private Optional<String> card(RunRecord run) {
    for (ArtifactInfo a : run.artifacts()) {
      String file = a.path().substring(a.path().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT).replace('_', '-');
      if ((file.equals("model-card.md") || file.equals("model-card.txt")) && a.size() <= MAX_CARD) {
        return Optional.of(new String(tracker.readArtifact(run.runId(), a.path()), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  private static String versionPath(ModelVersion v) {
    return "/ui/models/" + Html.segment(v.modelName()) + "/versions/" + v.version();
  }

  private static void aliases(Html h, String model, Map<String, Integer> aliases) {
    aliases.forEach((alias, version) -> h.markup("<a class=\"alias\"")
        .attribute("href", "/ui/models/" + Html.segment(model) + "/versions/" + version).markup(">")
        .text("@" + alias + " \u2192 v" + version).markup("</a> "));
  }

  /** A "Tags" heading and table, nothing when there are no tags. */
  static void tags(Html h, Map<String, String> tags) {
    if (tags.isEmpty()) {
      return;
    }
    h.markup("<h2>Tags</h2><table class=\"grid kv\" id=\"tags\"><tbody>");
    tags.forEach((k, val) -> h.markup("<tr><th>").text(k).markup("</th><td>").text(val).markup("</td></tr>"));
    h.markup("</tbody></table>");
  }
}
