package dev.mlops.tracking.internal;

import dev.mlops.core.NotFoundException;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry's part of the storage SPI. Every write is one transaction; a write naming a
 * model, version or run that does not exist throws {@link dev.mlops.core.NotFoundException} and
 * changes nothing.
 */
public interface RegistryStore {

  /**
   * Records a package a run logged, with its artifact row, in one transaction, and returns what
   * the run holds under the model's name. When the name is free, the row is inserted, the staged
   * file is moved into place before the commit, and {@code model} is returned; when another writer
   * recorded the name first, nothing is written, the staged file is not placed, and that writer's
   * record is returned.
   */
  LoggedModel recordLoggedModel(String runId, ArtifactRepository.Staged staged, LoggedModel model);

  /** The package a run logged under this name. */
  Optional<LoggedModel> loggedModel(String runId, String name);

  /**
   * Registers a version under the next number of its model (creating the model at version 1),
   * copying the run's data sets as its lineage. Concurrent registrations of one model, from any
   * number of processes, get distinct numbers without gaps.
   */
  ModelVersion createVersion(NewModelVersion version);

  /**
   * Creates a registered model without versions; a {@link dev.mlops.core.ConflictException} when
   * the name is taken.
   */
  void createModel(String name, String description, Map<String, String> tags, long now);

  /**
   * Gives a model, its versions, tags and aliases a new name; a
   * {@link dev.mlops.core.ConflictException} when another model has it.
   */
  void renameModel(String name, String newName, long now);

  /** Removes a model with its versions, tags and aliases; package files are left in place. */
  void deleteModel(String name);

  /**
   * Removes one version with its tags, lineage and the aliases pointing at it; its number is not
   * given out again.
   */
  void deleteVersion(String name, int version, long now);

  /**
   * The package file of a version, where this process can read it: the store's own file, or (for
   * a store on a server) a local copy, fetched when missing. The caller verifies it.
   */
  default Path localPackage(ModelVersion version) {
    return version.packagePath();
  }

  /**
   * The package file a run logged, where this process can read it: {@code file} in the store's
   * artifact folder, or (for a store on a server) a local copy there, fetched when missing. The
   * caller verifies it.
   */
  default Path localLoggedPackage(LoggedModel logged, Path file) {
    return file;
  }

  /** The registered model with this name. */
  Optional<RegisteredModel> model(String name);

  /** Every version of a model, oldest first. */
  List<ModelVersion> versions(String name);

  /** One version of a model. */
  Optional<ModelVersion> version(String name, int version);

  /** The version an alias points at. */
  Optional<ModelVersion> versionByAlias(String name, String alias);

  /** Points an alias at a version, moving it when it pointed elsewhere. */
  void setAlias(String name, String alias, int version, long now);

  /** Removes an alias; whether it existed. */
  boolean deleteAlias(String name, String alias, long now);

  /** Sets a model's tag, or deletes it when {@code value} is null. */
  void setModelTag(String name, String key, String value, long now);

  /** Sets a version's tag, or deletes it when {@code value} is null. */
  void setVersionTag(String name, int version, String key, String value, long now);

  /** Replaces a model's description. */
  void setModelDescription(String name, String description, long now);

  /** Replaces a version's description. */
  void setVersionDescription(String name, int version, String description, long now);

  /** Models whose name matches a LIKE pattern (null: any) and that carry every one of these tags, by name. */
  List<RegisteredModel> search(String nameLike, Map<String, String> tags);

  /** The versions registered from a run's packages, by model name and version. */
  List<ModelVersion> versionsOfRun(String runId);

  /** The error for a model name the registry does not hold; one message wherever it is raised. */
  static NotFoundException unknownModel(String name) {
    return new NotFoundException("no registered model named '" + name
        + "'; register a package with tracker.registry().register(name, ...) first");
  }
}
