package dev.mlops.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.ConflictException;
import dev.mlops.core.NotFoundException;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelUri;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.internal.ArtifactRepository;
import dev.mlops.tracking.internal.LoggedModel;
import dev.mlops.tracking.internal.RegistryStore;
import dev.mlops.tracking.internal.RestStore;
import dev.mlops.tracking.internal.StoredText;
import dev.mlops.tracking.internal.TrackingStore;
import dev.mlops.tracking.internal.PageTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MLflow's model registry endpoints ({@code mlflow/protos/model_registry.proto}) over our
 * registry. Versions are registered from packages a run logged ({@code source}
 * {@code runs:/<run id>/<name>}), verified before they are recorded; a deleted version's number
 * is not given out again.
 */
public final class RegistryApi {
  /** model_registry.proto, SearchRegisteredModels.max_results: default 100, at most 1000. */
  public static final int MAX_MODELS_PAGE = 1000;
  /** model_registry.proto, SearchModelVersions.max_results: default and limit 200,000. */
  public static final int MAX_VERSIONS_PAGE = 200_000;

  private static final Set<String> MODEL_FIELDS = Set.of("name");
  private static final Set<String> VERSION_FIELDS = Set.of("name", "run_id");

  private final ModelRegistry registry;
  private final Path artifactRoot;
  private final TrackingStore store;
  private final RegistryStore packages;
  private final Clock clock;
  private final ArtifactRepository repository;

  /**
   * @param registry the registry the endpoints read and write
   * @param artifactRoot the folder packages are stored under, for download URIs
   * @param store the store of the runs that log packages
   * @param clock the clock for the time a logged package is recorded
   * @param repository where runs' packages are placed
   */
  public RegistryApi(ModelRegistry registry, Path artifactRoot, TrackingStore store, Clock clock,
      ArtifactRepository repository) {
    this.registry = registry;
    this.artifactRoot = artifactRoot;
    this.store = store;
    this.packages = store.registry(artifactRoot);
    this.clock = clock;
    this.repository = repository;
  }

  /** Adds this API's endpoints. */
  public void register(Routes plain) {
    Routes routes = plain.decorated(this::extended);
    routes.get("mlops/logged-models/get", r -> loggedModelAnswer(packages.loggedModel(r.string("run_id"),
            r.string("name")).orElseThrow(() -> new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "run '"
            + r.string("run_id") + "' logged no model named '" + r.string("name") + "'"))));
    routes.post("registered-models/create", this::createModel)
        .get("registered-models/get", r -> modelResponse(model(r.string("name"))))
        .get("registered-models/search", this::searchModels)
        .post("registered-models/rename", this::renameModel)
        .patch("registered-models/update", this::updateModel)
        .delete("registered-models/delete", r -> {
          registry.delete(r.string("name"));
          return Wire.object();
        })
        .post("registered-models/set-tag", r -> {
          registry.setModelTag(r.string("name"), r.string("key"), ApiRequest.requiredText(r.params(), "value"));
          return Wire.object();
        })
        .delete("registered-models/delete-tag", r -> {
          registry.deleteModelTag(r.string("name"), r.string("key"));
          return Wire.object();
        })
        .post("registered-models/alias", r -> {
          registry.setAlias(r.string("name"), r.string("alias"), versionNumber(r.string("version")));
          return Wire.object();
        })
        .delete("registered-models/alias", r -> {
          registry.deleteAlias(r.string("name"), r.string("alias"));
          return Wire.object();
        })
        .get("registered-models/alias", r -> versionResponse(registry.resolve(ModelUri.alias(r.string("name"),
            r.string("alias")))))
        .post("model-versions/create", this::createVersion)
        .get("model-versions/get", r -> versionResponse(version(r)))
        .get("model-versions/search", this::searchVersions)
        .patch("model-versions/update", this::updateVersion)
        .delete("model-versions/delete", r -> {
          registry.deleteVersion(r.string("name"), versionNumber(r.string("version")));
          return Wire.object();
        })
        .post("model-versions/set-tag", r -> {
          registry.setVersionTag(r.string("name"), versionNumber(r.string("version")), r.string("key"),
              ApiRequest.requiredText(r.params(), "value"));
          return Wire.object();
        })
        .delete("model-versions/delete-tag", r -> {
          registry.deleteVersionTag(r.string("name"), versionNumber(r.string("version")), r.string("key"));
          return Wire.object();
        })
        .get("model-versions/get-download-uri", r -> {
          ObjectNode out = Wire.object();
          out.put("artifact_uri", downloadUri(version(r)));
          return out;
        });
  }

  // model_registry.proto, CreateRegisteredModel: name, tags, description; the model starts without versions.
  private ObjectNode createModel(ApiRequest r) {
    String name = r.string("name");
    Map<String, String> tags = new LinkedHashMap<>();
    for (ObjectNode tag : r.objects("tags")) {
      tags.put(ApiRequest.requiredText(tag, "key"), ApiRequest.requiredText(tag, "value"));
    }
    if (exists(name)) {
      throw alreadyExists(name);
    }
    try {
      return modelResponse(registry.create(name, r.optionalString("description").orElse(""), tags));
    } catch (ConflictException e) {
      throw alreadyExists(name);
    }
  }

  private static ApiException alreadyExists(String name) {
    return new ApiException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Registered Model (name=" + name + ") already exists.");
  }

  private ObjectNode renameModel(ApiRequest r) {
    String name = r.string("name");
    String newName = r.string("new_name");
    if (!newName.equals(name) && exists(newName)) {
      model(name);
      throw alreadyExists(newName);
    }
    try {
      return modelResponse(registry.rename(name, newName));
    } catch (ConflictException e) {
      throw alreadyExists(newName);
    }
  }

  private ObjectNode updateModel(ApiRequest r) {
    String name = r.string("name");
    description(r).ifPresent(d -> registry.setModelDescription(name, d));
    return modelResponse(model(name));
  }

  // A description may be set to the empty text, which removes it.
  private static java.util.Optional<String> description(ApiRequest r) {
    JsonNode d = r.params().get("description");
    return d != null && d.isTextual() ? java.util.Optional.of(d.asText()) : r.optionalString("description");
  }

  private ObjectNode createVersion(ApiRequest r) {
    String name = r.string("name");
    String source = r.string("source");
    Matcher runs = Pattern.compile("runs:/([0-9a-f]{32})/(.+)").matcher(source);
    if (!runs.matches()) {
      throw ApiException.invalid("source", "this registry registers packages logged by a run; give source"
          + " runs:/<run id>/<name the run logged the package under>, got '" + ApiRequest.abbreviate(source) + "'");
    }
    if (r.optionalString("run_id").filter(id -> !id.equals(runs.group(1))).isPresent()) {
      throw ApiException.invalid("run_id", "run_id names another run than source '" + source + "'");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (ObjectNode tag : r.objects("tags")) {
      tags.put(ApiRequest.requiredText(tag, "key"), ApiRequest.requiredText(tag, "value"));
    }
    ModelVersion v = registry.register(name, runs.group(1), runs.group(2), tags);
    r.optionalString("description").ifPresent(d -> registry.setVersionDescription(name, v.version(), d));
    return versionResponse(registry.version(name, v.version()));
  }

  private ObjectNode updateVersion(ApiRequest r) {
    ModelVersion v = version(r);
    description(r).ifPresent(d -> registry.setVersionDescription(v.modelName(), v.version(), d));
    return versionResponse(registry.version(v.modelName(), v.version()));
  }

  private ObjectNode searchModels(ApiRequest r) {
    SearchFilter search = SearchFilter.parse(r.optionalString("filter").orElse(""), MODEL_FIELDS, Set.of());
    long maxResults = r.optionalLong("max_results").orElse(100L);
    if (maxResults < 1 || maxResults > MAX_MODELS_PAGE) {
      throw ApiException.invalid("max_results", "must be between 1 and " + MAX_MODELS_PAGE + "; got " + maxResults);
    }
    List<RegisteredModel> all = registry.search(search.namePattern(), search.requiredTags()).stream()
        .filter(m -> search.matches(field -> m.name(), field -> 0L, m.tags())).toList();
    ObjectNode out = Wire.object();
    ArrayNode models = out.putArray("registered_models");
    page(all, r, maxResults, out).forEach(m -> models.add(Wire.registeredModel(m, latest(m))));
    return out;
  }

  private ObjectNode searchVersions(ApiRequest r) {
    SearchFilter search = SearchFilter.parse(r.optionalString("filter").orElse(""), VERSION_FIELDS, Set.of());
    long maxResults = r.optionalLong("max_results").orElse((long) MAX_VERSIONS_PAGE);
    if (maxResults < 1 || maxResults > MAX_VERSIONS_PAGE) {
      throw ApiException.invalid("max_results", "must be between 1 and " + MAX_VERSIONS_PAGE + "; got "
          + maxResults);
    }
    List<ModelVersion> all = new ArrayList<>();
    String runId = search.equalTo("run_id");
    if (runId != null) {
      all.addAll(registry.versionsOfRun(runId));
    } else {
      for (RegisteredModel m : registry.search(search.namePattern(), Map.of())) {
        all.addAll(registry.versions(m.name()));
      }
    }
    all.removeIf(v -> !search.matches(field -> field.equals("name") ? v.modelName() : v.runId().orElse(null),
        field -> 0L, v.tags()));
    ObjectNode out = Wire.object();
    ArrayNode versions = out.putArray("model_versions");
    page(all, r, maxResults, out).forEach(v -> versions.add(Wire.modelVersion(v)));
    return out;
  }

  // One page of an in-memory result, and the token of the next page set on the answer.
  private static <T> List<T> page(List<T> all, ApiRequest r, long maxResults, ObjectNode out) {
    int offset = Math.min(all.size(), r.optionalString("page_token").map(PageTokens::decode).orElse(0));
    int end = (int) Math.min(all.size(), offset + maxResults);
    if (end < all.size()) {
      out.put("next_page_token", PageTokens.encode(end));
    }
    return all.subList(offset, end);
  }

  private RegisteredModel model(String name) {
    return registry.model(name);
  }

  private boolean exists(String name) {
    try {
      registry.model(name);
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  // The newest version left; deleted versions leave gaps below the model's counter.
  private ModelVersion latest(RegisteredModel m) {
    List<ModelVersion> all = m.latestVersion() < 1 ? List.of() : registry.versions(m.name());
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  private ObjectNode modelResponse(RegisteredModel m) {
    ObjectNode out = Wire.object();
    out.set("registered_model", Wire.registeredModel(m, latest(m)));
    return out;
  }

  private static ObjectNode versionResponse(ModelVersion v) {
    ObjectNode out = Wire.object();
    out.set("model_version", Wire.modelVersion(v));
    return out;
  }

  private ModelVersion version(ApiRequest r) {
    return registry.version(r.string("name"), versionNumber(r.string("version")));
  }

  private static int versionNumber(String text) {
    try {
      int v = Integer.parseInt(text);
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid("version", "a model version is a positive whole number such as '3'; got '"
        + ApiRequest.abbreviate(text) + "'");
  }

  private String downloadUri(ModelVersion v) {
    return Wire.ARTIFACT_SCHEME + location(v);
  }

  private String location(ModelVersion v) {
    Path file = v.packagePath().toAbsolutePath().normalize();
    return file.startsWith(artifactRoot) ? artifactRoot.relativize(file).toString().replace('\\', '/')
        : file.getFileName().toString();
  }

  // ---------------------------------------------------------------- this library's client

  /**
   * Records a package a run logs, uploaded whole: read and verified, then moved into the run's
   * folder inside the transaction that records it, so that of several writers of one name only the
   * one recorded ever places its file. A name already recorded answers what was recorded.
   */
  ObjectNode logPackage(String runId, String name, Path upload) {
    String path = StoredText.checkKey("model", name) + "/" + ModelRegistry.PACKAGE_FILE;
    RunRecord run = store.run(runId).orElseThrow(() -> new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
        "Run with id=" + runId + " not found"));
    java.util.Optional<LoggedModel> existing = packages.loggedModel(runId, name);
    if (existing.isPresent()) {
      return loggedModelAnswer(existing.get());
    }
    ModelPackage pkg = ModelPackage.read(upload);
    try (ArtifactRepository.Staged staged = repository.stage(run.experimentId(), runId, upload, path)) {
      return loggedModelAnswer(packages.recordLoggedModel(runId, staged, new LoggedModel(name,
          ArtifactRepository.relativeLocation(run.experimentId(), runId, path), pkg.digest(), staged.info().sha256(),
          pkg.signature().toJson(), clock.millis())));
    }
  }

  private static ObjectNode loggedModelAnswer(LoggedModel m) {
    ObjectNode out = Wire.object();
    ObjectNode o = out.putObject("logged_model");
    o.put("name", m.name());
    o.put("location", m.location());
    o.put("package_digest", m.packageDigest().toString());
    o.put("file_sha256", m.fileSha256().toString());
    o.put("signature", m.signatureJson());
    o.put("creation_time", m.creationTime());
    return out;
  }

  /** Registers an uploaded package file as the model's next version; the answer is extended. */
  ObjectNode registerFile(String modelName, Path upload) {
    ObjectNode out = versionResponse(registry.register(modelName, upload));
    extend(out);
    return out;
  }

  /**
   * The stored package of a version, verified against its recorded digest. A missing file is
   * answered as the artifact proxy answers one, without the server's folder in the message.
   */
  Path verifiedPackage(String modelName, int version) {
    ModelVersion v = registry.version(modelName, version);
    if (!Files.isRegularFile(v.packagePath())) {
      throw new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "the package of " + v.uri() + " is recorded, but its"
          + " file is missing from the server's artifact folder");
    }
    registry.load(v);
    return v.packagePath();
  }

  // Adds what MLflow's messages lack when this library's client asks for it.
  private Endpoint extended(Endpoint endpoint) {
    return r -> {
      ObjectNode out = endpoint.handle(r);
      if ("true".equals(r.header().apply(RestStore.REGISTRY_HEADER))) {
        extend(out);
      }
      return out;
    };
  }

  private void extend(JsonNode node) {
    if (node instanceof ObjectNode o) {
      if (o.has("source") && o.has("version") && o.has("name")) {
        addPackage(o);
      } else if (o.has("latest_versions") && o.has("name")) {
        o.put("mlops_latest_version", registry.model(o.get("name").asText()).latestVersion());
      }
      o.elements().forEachRemaining(this::extend);
    } else if (node instanceof ArrayNode list) {
      list.forEach(this::extend);
    }
  }

  private void addPackage(ObjectNode o) {
    ModelVersion v = registry.version(o.get("name").asText(), Integer.parseInt(o.get("version").asText()));
    o.put("mlops_package_digest", v.packageDigest().toString());
    o.put("mlops_location", location(v));
    o.put("mlops_signature", v.signature().toJson());
    v.artifactName().ifPresent(a -> o.put("mlops_artifact_name", a));
    ArrayNode datasets = o.putArray("mlops_datasets");
    for (DatasetInput d : v.datasets()) {
      ObjectNode entry = datasets.addObject().put("name", d.name()).put("digest", d.digest().toString());
      entry.put("schema", d.schema() == null ? null : d.schema().toJson());
      entry.put("context", d.context());
    }
  }
}
