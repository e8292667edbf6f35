package dev.mlops.tracking.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Digest;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.Schema;
import dev.mlops.packaging.ModelSignature;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.RunRecord;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry part of a tracker opened on a tracking server, over MLflow's registry endpoints.
 * What MLflow's messages lack and this registry verifies (a version's package digest, signature,
 * location and lineage) the server adds when asked with {@value RestStore#REGISTRY_HEADER}. A run's
 * package goes up to {@value RestStore#LOGGED_MODELS_PATH}, where the server records it after reading
 * its own copy; a package registered from a file goes up to {@value RestStore#PACKAGES_PATH}. Packages are kept
 * in the tracker's local folder at the server's relative location, downloaded when missing, and
 * always verified against the recorded digest before they are used.
 */
final class RestRegistryStore implements RegistryStore {
  private static final Map<String, String> EXTENDED = Map.of(RestStore.REGISTRY_HEADER, "true");
  private static final int MODELS_PAGE = 1000;

  private final RestStore runs;
  private final RestClient client;
  private final Path localRoot;

  RestRegistryStore(RestStore runs, RestClient client, Path localRoot) {
    this.runs = runs;
    this.client = client;
    this.localRoot = localRoot;
  }

  // ---------------------------------------------------------------- logged packages

  /**
   * Uploads the staged package to the server, which records it in the transaction that moves its
   * copy into place, so that of several writers of one name only one is recorded; the staged file
   * becomes the local copy only when it is the one the server recorded. A writer that lost leaves
   * the local file to the winner (or to a download when it is next read), so the local copy never
   * holds bytes other than those the server recorded.
   */
  @Override
  public LoggedModel recordLoggedModel(String runId, ArtifactRepository.Staged staged, LoggedModel model) {
    LoggedModel recorded = loggedModel(client.putFile(RestStore.LOGGED_MODELS_PATH + runId + "/"
        + encode(model.name()), staged.file()));
    if (recorded.fileSha256().equals(staged.info().sha256())) {
      staged.place();
    }
    return recorded;
  }

  @Override
  public Optional<LoggedModel> loggedModel(String runId, String name) {
    return RestClient.unlessMissing(() -> client.get("mlops/logged-models/get", Map.of("run_id", runId, "name",
        name)))
        .map(RestRegistryStore::loggedModel);
  }

  private static LoggedModel loggedModel(JsonNode answer) {
    JsonNode m = answer.get("logged_model");
    return new LoggedModel(m.get("name").asText(), m.get("location").asText(),
        Digest.parse(m.get("package_digest").asText()), Digest.parse(m.get("file_sha256").asText()),
        m.get("signature").asText(), m.path("creation_time").asLong());
  }

  // ---------------------------------------------------------------- versions

  @Override
  public ModelVersion createVersion(NewModelVersion v) {
    if (v.artifactNameOrNull() != null) {
      ObjectNode body = object();
      body.put("name", v.modelName());
      body.put("source", "runs:/" + v.runIdOrNull() + "/" + v.artifactNameOrNull());
      body.put("run_id", v.runIdOrNull());
      if (!v.tags().isEmpty()) {
        ArrayNode tags = body.putArray("tags");
        new TreeMap<>(v.tags()).forEach((k, value) -> tags.addObject().put("key", k).put("value", value));
      }
      return version(client.post("model-versions/create", body, EXTENDED).get("model_version"));
    }
    Path staged = localRoot.resolve(v.location());
    ModelVersion created = version(client.putFile(RestStore.PACKAGES_PATH + encode(v.modelName()), staged)
        .get("model_version"));
    try {
      // the local copy moves to the server's location, where loading looks for it
      if (!created.packagePath().equals(staged)) {
        Files.createDirectories(created.packagePath().getParent());
        Files.move(staged, created.packagePath(), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // it is downloaded again when it is loaded
    }
    return created;
  }

  @Override
  public Optional<ModelVersion> version(String name, int version) {
    return RestClient.unlessMissing(() -> client.get("model-versions/get", Map.of("name", name, "version",
        Integer.toString(version)), EXTENDED)).map(a -> version(a.get("model_version")));
  }

  @Override
  public List<ModelVersion> versions(String name) {
    List<ModelVersion> out = searchVersions("name = " + quote(name));
    out.sort(Comparator.comparingInt(ModelVersion::version));
    return out;
  }

  @Override
  public List<ModelVersion> versionsOfRun(String runId) {
    List<ModelVersion> out = searchVersions("run_id = " + quote(runId));
    out.sort(Comparator.comparing(ModelVersion::modelName).thenComparingInt(ModelVersion::version));
    return out;
  }

  private List<ModelVersion> searchVersions(String filter) {
    List<ModelVersion> out = new ArrayList<>();
    pages("model-versions/search", filter, 200_000, "model_versions", v -> out.add(version(v)));
    return out;
  }

  @Override
  public Optional<ModelVersion> versionByAlias(String name, String alias) {
    return RestClient.unlessMissing(() -> client.get("registered-models/alias", Map.of("name", name, "alias", alias),
        EXTENDED)).map(a -> version(a.get("model_version")));
  }

  @Override
  public void deleteVersion(String name, int version, long now) {
    ObjectNode body = object();
    body.put("name", name);
    body.put("version", Integer.toString(version));
    client.send("DELETE", "model-versions/delete", body, Map.of());
  }

  /**
   * The local copy of a version's package, downloaded through the server when it is missing; the
   * caller verifies it against the recorded digest, so a local copy that was changed is refused
   * rather than replaced (something wrote into this process's folder, and silently replacing the
   * file would hide it).
   */
  @Override
  public Path localPackage(ModelVersion version) {
    if (!Files.isRegularFile(version.packagePath())) {
      download(RestStore.PACKAGES_PATH + encode(version.modelName()) + "/" + version.version(), version.packagePath(),
          "the package of " + version.uri());
    }
    return version.packagePath();
  }

  /**
   * The local copy of a run's package, downloaded through the server when it is missing, and
   * refused when its bytes are not those the server recorded, saying how to get the server's copy.
   */
  @Override
  public Path localLoggedPackage(LoggedModel logged, Path file) {
    String what = "the package logged as '" + logged.name() + "' (" + logged.location() + ")";
    if (!Files.isRegularFile(file)) {
      // a run's package is one of its artifacts: <experiment>/<run>/<name>/model.mlpkg under the proxy
      download(RestStore.ARTIFACTS_PROXY_PATH + logged.location(), file, what);
    }
    Digest local = Digest.ofFile(file);
    if (!local.equals(logged.fileSha256())) {
      throw new IntegrityException("the local copy " + file + " of " + what + " has SHA-256 " + local + ", but the"
          + " tracking server " + client.base() + " recorded " + logged.fileSha256() + "; the file was changed or"
          + " replaced here after it was logged or downloaded. Delete it to download the server's verified copy again");
    }
    return file;
  }

  private void download(String serverPath, Path file, String what) {
    try {
      client.download(serverPath, file);
    } catch (NotFoundException e) {
      throw RestStore.missingOnServer(client, what, e);
    }
  }

  private ModelVersion version(JsonNode v) {
    List<DatasetInput> datasets = new ArrayList<>();
    for (JsonNode d : v.path("mlops_datasets")) {
      datasets.add(new DatasetInput(d.get("name").asText(), Digest.parse(d.get("digest").asText()),
          d.hasNonNull("schema") ? Schema.fromJson(d.get("schema").asText()) : null, d.path("context").asText()));
    }
    List<String> aliases = new ArrayList<>();
    v.path("aliases").forEach(a -> aliases.add(a.asText()));
    String runId = v.path("run_id").asText("");
    if (!v.hasNonNull("mlops_package_digest")) {
      throw new IntegrityException("the server at " + client.base() + " did not send the package digest of "
          + v.path("name").asText() + " version " + v.path("version").asText() + "; it is not this library's"
          + " tracking server, whose registry verifies packages");
    }
    return new ModelVersion(v.get("name").asText(), Integer.parseInt(v.get("version").asText()),
        runId.isEmpty() ? null : runId, v.hasNonNull("mlops_artifact_name") ? v.get("mlops_artifact_name").asText()
        : null, localRoot.resolve(ArtifactRepository.checkPath(v.get("mlops_location").asText())),
        Digest.parse(v.get("mlops_package_digest").asText()), ModelSignature.fromJson(v.get("mlops_signature")
        .asText()), v.path("description").asText(""), keyValues(v.path("tags")), aliases, datasets,
        v.path("creation_timestamp").asLong(), v.path("last_updated_timestamp").asLong());
  }

  // ---------------------------------------------------------------- models

  @Override
  public void createModel(String name, String description, Map<String, String> tags, long now) {
    ObjectNode body = object();
    body.put("name", name);
    body.put("description", description);
    ArrayNode list = body.putArray("tags");
    tags.forEach((k, v) -> list.addObject().put("key", k).put("value", v));
    client.post("registered-models/create", body, Map.of());
  }

  @Override
  public void renameModel(String name, String newName, long now) {
    ObjectNode body = object();
    body.put("name", name);
    body.put("new_name", newName);
    client.post("registered-models/rename", body, Map.of());
  }

  @Override
  public void deleteModel(String name) {
    ObjectNode body = object();
    body.put("name", name);
    client.send("DELETE", "registered-models/delete", body, Map.of());
  }

  @Override
  public Optional<RegisteredModel> model(String name) {
    return RestClient.unlessMissing(() -> client.get("registered-models/get", Map.of("name", name), EXTENDED))
        .map(a -> model(a.get("registered_model")));
  }

  @Override
  public List<RegisteredModel> search(String nameLike, Map<String, String> tags) {
    List<String> clauses = new ArrayList<>();
    if (nameLike != null) {
      clauses.add("name LIKE " + quote(nameLike));
    }
    new TreeMap<>(tags).forEach((k, v) -> clauses.add("tags.`" + k.replace("`", "") + "` = " + quote(v)));
    List<RegisteredModel> out = new ArrayList<>();
    pages("registered-models/search", String.join(" AND ", clauses), MODELS_PAGE, "registered_models",
        m -> out.add(model(m)));
    out.sort(Comparator.comparing(RegisteredModel::name));
    return out;
  }

  private static RegisteredModel model(JsonNode m) {
    Map<String, Integer> aliases = new HashMap<>();
    m.path("aliases").forEach(a -> aliases.put(a.get("alias").asText(), Integer.parseInt(a.get("version").asText())));
    return new RegisteredModel(m.get("name").asText(), m.path("description").asText(""),
        m.path("mlops_latest_version").asInt(), keyValues(m.path("tags")), aliases, m.path("creation_timestamp")
        .asLong(), m.path("last_updated_timestamp").asLong());
  }

  // ---------------------------------------------------------------- aliases, tags, descriptions

  @Override
  public void setAlias(String name, String alias, int version, long now) {
    ObjectNode body = object();
    body.put("name", name);
    body.put("alias", alias);
    body.put("version", Integer.toString(version));
    client.post("registered-models/alias", body, Map.of());
  }

  @Override
  public boolean deleteAlias(String name, String alias, long now) {
    ObjectNode body = object();
    body.put("name", name);
    body.put("alias", alias);
    try {
      client.send("DELETE", "registered-models/alias", body, Map.of());
      return true;
    } catch (NotFoundException e) {
      // the registry then says whether the model or the alias is missing
      return false;
    }
  }

  @Override
  public void setModelTag(String name, String key, String value, long now) {
    ObjectNode body = object();
    body.put("name", name);
    body.put("key", key);
    tagCall(value, body, "registered-models/set-tag", "registered-models/delete-tag");
  }

  @Override
  public void setVersionTag(String name, int version, String key, String value, long now) {
    ObjectNode body = object();
    body.put("name", name);
    body.put("version", Integer.toString(version));
    body.put("key", key);
    tagCall(value, body, "model-versions/set-tag", "model-versions/delete-tag");
  }

  private void tagCall(String valueOrNull, ObjectNode body, String set, String delete) {
    if (valueOrNull == null) {
      client.send("DELETE", delete, body, Map.of());
    } else {
      body.put("value", valueOrNull);
      client.post(set, body, Map.of());
    }
  }

  @Override
  public void setModelDescription(String name, String description, long now) {
    ObjectNode body = object();
    body.put("name", name);
    body.put("description", description);
    client.send("PATCH", "registered-models/update", body, Map.of());
  }

  @Override
  public void setVersionDescription(String name, int version, String description, long now) {
    ObjectNode body = object();
    body.put("name", name);
    body.put("version", Integer.toString(version));
    body.put("description", description);
    client.send("PATCH", "model-versions/update", body, Map.of());
  }

  // ---------------------------------------------------------------- plumbing

  // Every page of a registry search, each item to {@code item}.
  private void pages(String path, String filter, int pageSize, String field,
      java.util.function.Consumer<JsonNode> item) {
    String token = null;
    do {
      Map<String, String> query = new TreeMap<>();
      query.put("filter", filter);
      query.put("max_results", Integer.toString(pageSize));
      if (token != null) {
        query.put("page_token", token);
      }
      JsonNode answer = client.get(path, query, EXTENDED);
      answer.path(field).forEach(item);
      token = answer.hasNonNull("next_page_token") ? answer.get("next_page_token").asText() : null;
    } while (token != null);
  }

  private ObjectNode object() {
    return client.json().createObjectNode();
  }

  private static Map<String, String> keyValues(JsonNode list) {
    Map<String, String> out = new TreeMap<>();
    list.forEach(kv -> out.put(kv.get("key").asText(), kv.path("value").asText()));
    return out;
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  // A model name as one path segment.
  private static String encode(String name) {
    try {
      return new URI(null, null, name, null).getRawPath();
    } catch (URISyntaxException e) {
      throw new dev.mlops.core.InvalidInputException("model name '" + name + "' cannot be put in a URI path");
    }
  }
}
