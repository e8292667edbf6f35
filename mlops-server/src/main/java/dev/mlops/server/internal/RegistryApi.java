package dev.mlops.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.NotFoundException;
import dev.mlops.tracking.ModelRegistry;
import dev.mlops.tracking.ModelUri;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.internal.PageTokens;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MLflow's model registry endpoints ({@code mlflow/protos/model_registry.proto}) over our
 * registry. A registered model exists from its first version on, and versions are registered
 * from packages a run logged ({@code source} {@code runs:/<run id>/<name>}), verified before
 * they are recorded.
 */
public final class RegistryApi {
  /** model_registry.proto, SearchRegisteredModels.max_results: default 100, at most 1000. */
  public static final int MAX_MODELS_PAGE = 1000;
  /** model_registry.proto, SearchModelVersions.max_results: default and limit 200,000. */
  public static final int MAX_VERSIONS_PAGE = 200_000;

  // One clause of a registry search: name = / LIKE / ILIKE 'x', tags.k = 'v', run_id = 'x'.
  private static final Pattern CLAUSE = Pattern.compile(
      "\\s*(name|run_id|tags\\.(?:`([^`]+)`|\"([^\"]+)\"|([\\w.\\-]+)))\\s*(=|LIKE|ILIKE)\\s*'((?:[^']|'')*)'\\s*",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern AND = Pattern.compile("\\s+(?i:and)\\s+");

  private final ModelRegistry registry;
  private final Path artifactRoot;

  /**
   * @param registry the registry the endpoints read and write
   * @param artifactRoot the folder packages are stored under, for download URIs
   */
  public RegistryApi(ModelRegistry registry, Path artifactRoot) {
    this.registry = registry;
    this.artifactRoot = artifactRoot;
  }

  /** Adds this API's endpoints. */
  public void register(Routes routes) {
    routes.post("registered-models/create", this::createModel)
        .get("registered-models/get", r -> modelResponse(model(r.string("name"))))
        .get("registered-models/search", this::searchModels)
        .post("registered-models/rename", this::renameModel)
        .patch("registered-models/update", this::updateModel)
        .delete("registered-models/delete", r -> notSupported("deleting registered model '" + model(r.string("name"))
            .name() + "'", "its versions stay resolvable for as long as serving may point at them"))
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
        .delete("model-versions/delete", r -> notSupported("deleting version " + version(r).version() + " of '"
            + r.string("name") + "'", "a deleted version would break every models:/ URI that names it"))
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

  private ObjectNode createModel(ApiRequest r) {
    String name = r.string("name");
    if (exists(name)) {
      throw new ApiException(ErrorCode.RESOURCE_ALREADY_EXISTS, "Registered Model (name=" + name
          + ") already exists.");
    }
    return notSupported("creating registered model '" + name + "' without a version", "register its first version"
        + " with model-versions/create and the model is created with it");
  }

  private ObjectNode renameModel(ApiRequest r) {
    RegisteredModel m = model(r.string("name"));
    if (r.optionalString("new_name").filter(n -> !n.equals(m.name())).isPresent()) {
      return notSupported("renaming registered model '" + m.name() + "'", "models:/ URIs name it for good");
    }
    return modelResponse(m);
  }

  private ObjectNode updateModel(ApiRequest r) {
    String name = r.string("name");
    r.optionalString("description").ifPresent(d -> registry.setModelDescription(name, d));
    return modelResponse(model(name));
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
    ModelVersion v = registry.register(name, runs.group(1), runs.group(2));
    tags.forEach((k, value) -> registry.setVersionTag(name, v.version(), k, value));
    r.optionalString("description").ifPresent(d -> registry.setVersionDescription(name, v.version(), d));
    return versionResponse(registry.version(name, v.version()));
  }

  private ObjectNode updateVersion(ApiRequest r) {
    ModelVersion v = version(r);
    r.optionalString("description").ifPresent(d -> registry.setVersionDescription(v.modelName(), v.version(), d));
    return versionResponse(registry.version(v.modelName(), v.version()));
  }

  private ObjectNode searchModels(ApiRequest r) {
    Search search = Search.parse(r.optionalString("filter").orElse(""), false);
    long maxResults = r.optionalLong("max_results").orElse(100L);
    if (maxResults < 1 || maxResults > MAX_MODELS_PAGE) {
      throw ApiException.invalid("max_results", "must be between 1 and " + MAX_MODELS_PAGE + "; got " + maxResults);
    }
    List<RegisteredModel> all = registry.search(search.storePattern(), search.tags()).stream()
        .filter(m -> search.matchesName(m.name())).toList();
    ObjectNode out = Wire.object();
    ArrayNode models = out.putArray("registered_models");
    page(all, r, maxResults, out).forEach(m -> models.add(Wire.registeredModel(m, latest(m))));
    return out;
  }

  private ObjectNode searchVersions(ApiRequest r) {
    Search search = Search.parse(r.optionalString("filter").orElse(""), true);
    long maxResults = r.optionalLong("max_results").orElse((long) MAX_VERSIONS_PAGE);
    if (maxResults < 1 || maxResults > MAX_VERSIONS_PAGE) {
      throw ApiException.invalid("max_results", "must be between 1 and " + MAX_VERSIONS_PAGE + "; got "
          + maxResults);
    }
    List<ModelVersion> all = new ArrayList<>();
    if (search.runId() != null) {
      all.addAll(registry.versionsOfRun(search.runId()));
    } else {
      for (RegisteredModel m : registry.search(search.storePattern(), Map.of())) {
        all.addAll(registry.versions(m.name()));
      }
    }
    all.removeIf(v -> !search.matchesName(v.modelName())
        || !search.tags().entrySet().stream().allMatch(t -> t.getValue().equals(v.tags().get(t.getKey()))));
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

  /**
   * A parsed registry filter: MLflow's clauses {@code name = 'x'}, {@code name LIKE 'x%'},
   * {@code name ILIKE 'x%'}, {@code tags.k = 'v'} and (for versions) {@code run_id = 'x'}, joined by AND.
   *
   * @param namePattern the name's LIKE pattern or exact name, or null
   * @param nameOperator {@code =}, {@code LIKE} or {@code ILIKE}
   * @param runId the run the versions came from, or null
   * @param tags tags every result carries
   */
  private record Search(String namePattern, String nameOperator, String runId, Map<String, String> tags) {

    static Search parse(String filter, boolean versions) {
      if (filter.length() > 10_000) {
        throw ApiException.invalid("filter", "at most 10000 characters; got " + filter.length());
      }
      String pattern = null;
      String operator = "=";
      String runId = null;
      Map<String, String> tags = new LinkedHashMap<>();
      for (String clause : filter.isBlank() ? new String[0] : AND.split(filter.strip())) {
        Matcher m = CLAUSE.matcher(clause);
        if (!m.matches()) {
          throw ApiException.invalid("filter", "expected clauses such as name LIKE 'iris%', name = 'iris'"
              + (versions ? ", run_id = '<id>'" : "") + " or tags.team = 'risk' joined by AND; got '"
              + ApiRequest.abbreviate(clause) + "'");
        }
        String value = m.group(6).replace("''", "'");
        String op = m.group(5).toUpperCase(Locale.ROOT);
        String field = m.group(1).toLowerCase(Locale.ROOT);
        if (field.equals("name")) {
          pattern = value;
          operator = op;
        } else if (field.equals("run_id") && versions && op.equals("=")) {
          runId = value;
        } else if (field.startsWith("tags.") && op.equals("=")) {
          tags.put(m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4), value);
        } else {
          throw ApiException.invalid("filter", "'" + ApiRequest.abbreviate(clause) + "' is not supported here;"
              + " tags" + (versions ? " and run_id" : "") + " compare with = only");
        }
      }
      return new Search(pattern, operator, runId, tags);
    }

    /** The pattern the store's case-sensitive LIKE can narrow by, or null. */
    String storePattern() {
      return nameOperator.equals("ILIKE") ? null : namePattern;
    }

    boolean matchesName(String name) {
      if (namePattern == null) {
        return true;
      }
      if (nameOperator.equals("=")) {
        return name.equals(namePattern);
      }
      StringBuilder regex = new StringBuilder();
      for (char c : namePattern.toCharArray()) {
        regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
      }
      int flags = nameOperator.equals("ILIKE") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
      return Pattern.compile(regex.toString(), flags | Pattern.DOTALL).matcher(name).matches();
    }
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

  private ModelVersion latest(RegisteredModel m) {
    return m.latestVersion() < 1 ? null : registry.version(m.name(), m.latestVersion());
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
    Path file = v.packagePath().toAbsolutePath().normalize();
    String relative = file.startsWith(artifactRoot) ? artifactRoot.relativize(file).toString().replace('\\', '/')
        : file.getFileName().toString();
    return Wire.ARTIFACT_SCHEME + relative;
  }

  private static ObjectNode notSupported(String what, String why) {
    throw new ApiException(ErrorCode.NOT_IMPLEMENTED, what + " is not supported by this server: " + why);
  }
}
