package dev.mlops.tracking;

import dev.mlops.core.ConflictException;
import dev.mlops.core.Digest;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Names;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.StoreUnavailableException;
import dev.mlops.packaging.Lineage;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.internal.ArtifactRepository;
import dev.mlops.tracking.internal.LoggedModel;
import dev.mlops.tracking.internal.NewModelVersion;
import dev.mlops.tracking.internal.RegistryStore;
import dev.mlops.tracking.internal.StoredText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry: packages registered under a model name as versions 1, 2, 3, …, aliases
 * such as {@code champion} that point at a version and can move, tags and descriptions, and
 * lineage both ways (a version knows its run, package digest and training data; a run knows the
 * versions registered from it). Every package is read and verified before anything is recorded.
 * Get it from {@link Tracker#registry()}; it is thread-safe and shared by every process that
 * opens the same store.
 *
 * <pre>{@code
 * Run run = tracker.experiment("iris").run("logreg").start();
 * run.model("model", modelPackage);
 * run.close();
 * ModelRegistry registry = tracker.registry();
 * ModelVersion v = registry.register("iris", run, "model");        // version 1, 2, …
 * registry.setAlias("iris", "champion", v.version());
 * ModelVersion champion = registry.resolve("models:/iris@champion");
 * ModelVersion three = registry.resolve("models:/iris/3");
 * registry.versionsOfRun(run.id());                               // lineage the other way
 * }</pre>
 *
 * <p>Names follow MLflow: a model name is a key by {@link Names}' rules without {@code /} (which
 * model URIs use as a separator); an alias is 1 to 255 letters, digits, {@code _} and {@code -},
 * and {@code latest} and {@code v<number>} are reserved ({@code models:/name@latest} resolves to
 * the newest version).
 */
public final class ModelRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
  /** The file name of a package a run logs with {@link Run#model}, below the name it is logged under. */
  public static final String PACKAGE_FILE = "model.mlpkg";
  /** The alias that always means the newest version. */
  public static final String LATEST = "latest";

  private static final String REGISTERED_FOLDER = "registry";
  private static final int MAX_ALIAS_LENGTH = 255;
  private static final Pattern ALIAS = Pattern.compile("[\\w\\-]+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern VERSION_ALIAS = Pattern.compile("[vV]\\d+", Pattern.UNICODE_CHARACTER_CLASS);

  private final Tracker tracker;
  private final RegistryStore store;

  ModelRegistry(Tracker tracker, RegistryStore store) {
    this.tracker = tracker;
    this.store = store;
  }

  // ---------------------------------------------------------------- registering

  /**
   * Registers the package a run logged under {@code artifactName} as the model's next version,
   * creating the model at version 1. The stored package is read and verified first.
   *
   * @throws NotFoundException if the run logged no package under that name
   * @throws IntegrityException if the stored package was changed since it was logged
   */
  public ModelVersion register(String modelName, Run run, String artifactName) {
    return register(modelName, Objects.requireNonNull(run, "run").id(), artifactName);
  }

  /** As {@link #register(String, Run, String)}, for the run with this id. */
  public ModelVersion register(String modelName, String runId, String artifactName) {
    return register(modelName, runId, artifactName, Map.of());
  }

  /**
   * As {@link #register(String, Run, String)}, for the run with this id, the version carrying
   * these tags from the start, as MLflow's create-model-version takes them: the version and its
   * tags are written together, so no reader sees the version without them.
   *
   * <pre>{@code
   * registry.register("iris", run.id(), "model", Map.of("validated_by", "nightly-gate"));
   * }</pre>
   *
   * @throws InvalidInputException if a tag's key or value is bad; nothing is registered then
   */
  public ModelVersion register(String modelName, String runId, String artifactName, Map<String, String> tags) {
    checkModelName(modelName);
    Map<String, String> checkedTags = Run.checkTags(tags);
    StoredText.checkKey("model artifact", artifactName);
    RunRecord run = tracker.getRun(runId);
    LoggedModel logged = store.loggedModel(runId, artifactName).orElseThrow(() -> new NotFoundException(
        "run '" + runId + "' logged no model named '" + artifactName + "'; log one with run.model(name, package)"));
    Path file = store.localLoggedPackage(logged, tracker.artifactRoot().resolve(logged.location()));
    if (!Files.isRegularFile(file)) {
      throw tracker.artifacts().missing("the package run '" + run.runId() + "' logged as '" + artifactName + "'", file);
    }
    ModelPackage pkg = readRecorded(file, logged.packageDigest(), "run '" + runId + "' logged it as '" + artifactName + "'");
    return store.createVersion(new NewModelVersion(modelName, runId, artifactName, logged.location(), pkg.digest(),
        logged.signatureJson(), tracker.clock().millis(), checkedTags));
  }

  /**
   * Registers a package file as the model's next version, creating the model at version 1. The
   * file is copied into the registry's folder and the copy is read and verified before anything
   * is recorded. When the package's lineage names a run of this tracker, the version is linked to
   * that run and its data sets.
   *
   * @throws NotFoundException if there is no such file
   * @throws IntegrityException if the package was tampered with
   */
  public ModelVersion register(String modelName, Path packageFile) {
    checkModelName(modelName);
    Objects.requireNonNull(packageFile, "packageFile");
    tracker.checkOpen();
    ModelPackage[] verified = new ModelPackage[1];
    String location = tracker.artifacts().storeVerified(packageFile, REGISTERED_FOLDER, ".mlpkg",
        copy -> verified[0] = readPackage(copy));
    ModelPackage pkg = verified[0];
    String runId = pkg.lineage().map(Lineage::runId)
        .filter(id -> tracker.store().run(id).filter(r -> !r.deleted()).isPresent())
        .orElse(null);
    return store.createVersion(new NewModelVersion(modelName, runId, null, location, pkg.digest(),
        pkg.signature().toJson(), tracker.clock().millis(), Map.of()));
  }

  /**
   * Stores a package as a run artifact and records its digest and signature; see {@link Run#model}.
   * The package is staged under a temporary name and moved into place inside the transaction that
   * records it, after its row was inserted: of several writers of one name (threads or processes),
   * only the one whose row wins ever moves its file, so the recorded digest always names the file.
   */
  void logModel(Run run, String name, ModelPackage pkg) {
    String path = StoredText.checkKey("model", name) + "/" + PACKAGE_FILE;
    ArtifactRepository.checkPath(path);
    Optional<LoggedModel> existing = store.loggedModel(run.id(), name);
    if (existing.isEmpty()) {
      LoggedModel stored;
      try (ArtifactRepository.Staged staged = stagePackage(run, pkg, path)) {
        stored = store.recordLoggedModel(run.id(), staged, new LoggedModel(name,
            ArtifactRepository.relativeLocation(run.experimentId(), run.id(), path), pkg.digest(),
            staged.info().sha256(), pkg.signature().toJson(), tracker.clock().millis()));
      }
      existing = Optional.of(stored);
    }
    if (!existing.get().packageDigest().equals(pkg.digest())) {
      throw new ConflictException("run '" + run.id() + "' already logged model '" + name + "' with package digest "
          + existing.get().packageDigest() + " and cannot replace it with " + pkg.digest()
          + "; log the new package under another name or in a new run");
    }
  }

  // Streams the package through a temporary file so that large artifacts are never held whole.
  private ArtifactRepository.Staged stagePackage(Run run, ModelPackage pkg, String path) {
    Path temp = null;
    try {
      temp = Files.createTempFile("mlops-model-", ".mlpkg");
      pkg.writeTo(temp);
      return tracker.artifacts().stage(run.experimentId(), run.id(), temp, path);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot write model package '" + path + "' to a temporary file: "
          + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          LOG.debug("cannot delete temporary package {}: {}", temp, e.getMessage());
        }
      }
    }
  }

  /**
   * Refuses to let a plain artifact replace a package the run logged: its recorded digest would
   * then name other bytes, and registering or serving it would fail.
   */
  void checkNotLoggedPackage(Run run, String artifactPath) {
    String suffix = "/" + PACKAGE_FILE;
    if (artifactPath.endsWith(suffix)) {
      String name = artifactPath.substring(0, artifactPath.length() - suffix.length());
      if (store.loggedModel(run.id(), name).isPresent()) {
        throw new ConflictException("artifact '" + artifactPath + "' of run '" + run.id() + "' is the package logged"
            + " as model '" + name + "' and cannot be replaced; store the file under another path");
      }
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads and verifies the package a model URI names, and checks that it is the package
   * recorded when the version was registered.
   *
   * <pre>{@code
   * Predictor<Label> p = tracker.registry().load("models:/iris@champion").predictor(Label.class);
   * }</pre>
   *
   * @throws NotFoundException if the version or its package file does not exist
   * @throws IntegrityException if the stored package was changed or replaced
   */
  public ModelPackage load(String uri) {
    return load(resolve(uri));
  }

  /** As {@link #load(String)}, for a version already resolved. */
  public ModelPackage load(ModelVersion version) {
    tracker.checkOpen();
    Path file = store.localPackage(version);
    if (!Files.isRegularFile(file)) {
      throw tracker.artifacts().missing("the package of " + version.uri(), file);
    }
    return readRecorded(file, version.packageDigest(), version.uri() + " was registered with it");
  }

  // A file that cannot be read is a storage failure like any other of the store's.
  private static ModelPackage readPackage(Path file) {
    try {
      return ModelPackage.read(file);
    } catch (UncheckedIOException e) {
      throw new StoreUnavailableException("cannot read package file " + file + ": " + e.getMessage()
          + "; check that the artifact folder is mounted and readable", e);
    }
  }

  private static ModelPackage readRecorded(Path file, Digest recorded, String where) {
    ModelPackage pkg = readPackage(file);
    if (!pkg.digest().equals(recorded)) {
      throw new IntegrityException(file + " has package digest " + pkg.digest() + " but " + recorded + " was recorded ("
          + where + "); the stored package was replaced, register it again");
    }
    return pkg;
  }

  /**
   * The version a model URI names: {@code models:/name@alias}, {@code models:/name/3}, or
   * {@code models:/name@latest} for the newest.
   *
   * @throws InvalidInputException if the text is not a model URI
   * @throws NotFoundException if the model, version or alias does not exist
   */
  public ModelVersion resolve(String uri) {
    return resolve(ModelUri.parse(uri));
  }

  /** As {@link #resolve(String)}, for a URI already parsed. */
  public ModelVersion resolve(ModelUri uri) {
    Objects.requireNonNull(uri, "uri");
    if (uri.isAlias()) {
      return uri.alias().equalsIgnoreCase(LATEST) ? latest(uri.name()) : alias(uri.name(), uri.alias());
    }
    return version(uri.name(), uri.version());
  }

  // The newest version left: numbers are never given out twice, so deleted ones leave gaps.
  private ModelVersion latest(String name) {
    List<ModelVersion> all = versions(name);
    if (all.isEmpty()) {
      throw new NotFoundException("registered model '" + name + "' has no versions yet; register one with"
          + " registry.register(name, ...)");
    }
    return all.get(all.size() - 1);
  }

  private ModelVersion alias(String name, String alias) {
    tracker.checkOpen();
    return store.versionByAlias(name, alias).orElseThrow(() -> {
      RegisteredModel model = model(name);
      return new NotFoundException("registered model '" + name + "' has no alias '" + alias + "'; its aliases are "
          + model.aliases().keySet() + ", set one with registry.setAlias(name, alias, version)");
    });
  }

  /**
   * The registered model with this name.
   *
   * @throws NotFoundException if there is none
   */
  public RegisteredModel model(String modelName) {
    tracker.checkOpen();
    return store.model(modelName).orElseThrow(() -> RegistryStore.unknownModel(modelName));
  }

  /**
   * One version of a model.
   *
   * @throws NotFoundException if the model or the version does not exist
   */
  public ModelVersion version(String modelName, int version) {
    tracker.checkOpen();
    return store.version(modelName, version).orElseThrow(() -> {
      RegisteredModel model = model(modelName);
      return new NotFoundException("registered model '" + modelName + "' has no version " + version
          + "; its versions are 1 to " + model.latestVersion());
    });
  }

  /**
   * Every version of a model, oldest first.
   *
   * @throws NotFoundException if the model does not exist
   */
  public List<ModelVersion> versions(String modelName) {
    model(modelName);
    return store.versions(modelName);
  }

  /**
   * The versions registered from a run's packages, by model name and version: lineage from the
   * run to what it produced.
   *
   * @throws NotFoundException if there is no such run
   */
  public List<ModelVersion> versionsOfRun(String runId) {
    tracker.checkOpen();
    return store.versionsOfRun(runId);
  }

  /**
   * Registered models whose name matches a SQL LIKE pattern ({@code %} any run of characters,
   * {@code _} one character; case-sensitive), sorted by name.
   */
  public List<RegisteredModel> search(String nameLike) {
    return search(nameLike, Map.of());
  }

  /** Registered models whose name matches the pattern (null matches any) and that carry all these tags. */
  public List<RegisteredModel> search(String nameLike, Map<String, String> tags) {
    tracker.checkOpen();
    return store.search(nameLike, Run.checkTags(tags));
  }

  // ---------------------------------------------------------------- models

  /**
   * Creates a registered model with no versions yet, as MLflow's registered-models/create does;
   * {@link #register} creates one on its first version too.
   *
   * <pre>{@code
   * registry.create("churn", "predicts churn", Map.of("team", "retention"));
   * }</pre>
   *
   * @throws ConflictException if a model has this name
   */
  public RegisteredModel create(String modelName, String description, Map<String, String> tags) {
    checkModelName(modelName);
    String text = checkDescription(description);
    Map<String, String> checked = Run.checkTags(tags);
    store.createModel(modelName, text, checked, tracker.clock().millis());
    return model(modelName);
  }

  /**
   * Renames a model; its versions, tags and aliases move with it, and {@code models:/} URIs
   * naming the old name stop resolving.
   *
   * @throws NotFoundException if there is no such model
   * @throws ConflictException if another model has the new name
   */
  public RegisteredModel rename(String modelName, String newName) {
    checkModelName(newName);
    tracker.checkOpen();
    store.renameModel(modelName, newName, tracker.clock().millis());
    return model(newName);
  }

  /**
   * Removes a model with every version, tag and alias. Package files stay where they are, so
   * that a server still holding one keeps working; the records are gone for good.
   *
   * @throws NotFoundException if there is no such model
   */
  public void delete(String modelName) {
    tracker.checkOpen();
    store.deleteModel(modelName);
  }

  /**
   * Removes one version with its tags and the aliases pointing at it; its number is not given
   * out again, and {@code @latest} then means the newest version left.
   *
   * @throws NotFoundException if the model or the version does not exist
   */
  public void deleteVersion(String modelName, int version) {
    tracker.checkOpen();
    store.deleteVersion(modelName, version, tracker.clock().millis());
  }

  // ---------------------------------------------------------------- aliases

  /**
   * Points an alias at a version; an alias that pointed at another version moves.
   *
   * @throws InvalidInputException if the alias is malformed or reserved
   * @throws NotFoundException if the model or the version does not exist
   */
  public void setAlias(String modelName, String alias, int version) {
    tracker.checkOpen();
    store.setAlias(modelName, checkAlias(alias), version, tracker.clock().millis());
  }

  /**
   * Removes an alias.
   *
   * @throws NotFoundException if the model does not exist or has no such alias
   */
  public void deleteAlias(String modelName, String alias) {
    tracker.checkOpen();
    if (!store.deleteAlias(modelName, Objects.requireNonNull(alias, "alias"), tracker.clock().millis())) {
      throw new NotFoundException("registered model '" + modelName + "' has no alias '" + alias + "'; its aliases are "
          + model(modelName).aliases().keySet());
    }
  }

  /** Checks an alias by MLflow's rules and returns it. */
  static String checkAlias(String alias) {
    if (alias == null || alias.isEmpty() || alias.length() > MAX_ALIAS_LENGTH || !ALIAS.matcher(alias).matches()) {
      throw new InvalidInputException("alias '" + alias + "' must be 1 to " + MAX_ALIAS_LENGTH
          + " letters, digits, '_' or '-'; rename it");
    }
    if (alias.equalsIgnoreCase(LATEST) || VERSION_ALIAS.matcher(alias).matches()) {
      throw new InvalidInputException("alias '" + alias + "' is reserved: 'latest' means the newest version and"
          + " 'v<number>' a version number; choose another alias, such as 'champion'");
    }
    return alias;
  }

  // ---------------------------------------------------------------- tags and descriptions

  /** Sets a tag on a registered model; the last write wins. */
  public void setModelTag(String modelName, String key, String value) {
    Map.Entry<String, String> tag = checkTag(key, value);
    store.setModelTag(modelName, tag.getKey(), tag.getValue(), tracker.clock().millis());
  }

  /** Removes a tag from a registered model; removing a tag it does not carry changes nothing. */
  public void deleteModelTag(String modelName, String key) {
    tracker.checkOpen();
    store.setModelTag(modelName, StoredText.checkKey("tag", key), null, tracker.clock().millis());
  }

  /** Sets a tag on one version; the last write wins. */
  public void setVersionTag(String modelName, int version, String key, String value) {
    Map.Entry<String, String> tag = checkTag(key, value);
    store.setVersionTag(modelName, version, tag.getKey(), tag.getValue(), tracker.clock().millis());
  }

  /** Removes a tag from one version; removing a tag it does not carry changes nothing. */
  public void deleteVersionTag(String modelName, int version, String key) {
    tracker.checkOpen();
    store.setVersionTag(modelName, version, StoredText.checkKey("tag", key), null, tracker.clock().millis());
  }

  /** Replaces a registered model's description; an empty text removes it. */
  public void setModelDescription(String modelName, String description) {
    tracker.checkOpen();
    store.setModelDescription(modelName, checkDescription(description), tracker.clock().millis());
  }

  /** Replaces one version's description; an empty text removes it. */
  public void setVersionDescription(String modelName, int version, String description) {
    tracker.checkOpen();
    store.setVersionDescription(modelName, version, checkDescription(description), tracker.clock().millis());
  }

  private Map.Entry<String, String> checkTag(String key, String value) {
    tracker.checkOpen();
    return Run.checkTag(key, value).entrySet().iterator().next();
  }

  private static String checkDescription(String description) {
    return Names.checkTagValue("description", StoredText.check("description", description));
  }

  static String checkModelName(String name) {
    StoredText.checkKey("registered model", name);
    if (name.contains("/")) {
      throw new InvalidInputException("registered model name '" + name + "' holds '/', which model URIs use as a"
          + " separator; rename it");
    }
    return name;
  }
}
