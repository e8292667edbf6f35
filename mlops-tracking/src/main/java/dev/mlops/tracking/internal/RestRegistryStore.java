package dev.mlops.tracking.internal;

import dev.mlops.core.InvalidInputException;
import dev.mlops.tracking.ArtifactInfo;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry part of a tracker opened on a tracking server. MLflow's registry messages carry
 * neither a version's package digest nor its signature, which this registry verifies on every
 * load, so a tracker on a server refuses registry calls with a message saying where to make them
 * (the server's own store, or MLflow's registry endpoints) rather than answer without verifying.
 */
final class RestRegistryStore implements RegistryStore {
  private final String server;

  RestRegistryStore(String server) {
    this.server = server;
  }

  private InvalidInputException refused(String what) {
    return new InvalidInputException(what + " is not available to a tracker opened on " + server + ": the registry"
        + " verifies package digests and signatures that MLflow's REST messages do not carry. Register and load"
        + " models with a tracker opened on the server's database, or through the server's registered-models and"
        + " model-versions endpoints");
  }

  @Override
  public LoggedModel recordLoggedModel(String runId, ArtifactInfo artifact, LoggedModel model, Runnable placeFile) {
    throw refused("logging a model package");
  }

  @Override
  public Optional<LoggedModel> loggedModel(String runId, String name) {
    throw refused("reading a logged model package");
  }

  @Override
  public ModelVersion createVersion(NewModelVersion version) {
    throw refused("registering a model version");
  }

  @Override
  public void createModel(String name, String description, Map<String, String> tags, long now) {
    throw refused("creating a registered model");
  }

  @Override
  public void renameModel(String name, String newName, long now) {
    throw refused("renaming a registered model");
  }

  @Override
  public void deleteModel(String name) {
    throw refused("deleting a registered model");
  }

  @Override
  public void deleteVersion(String name, int version, long now) {
    throw refused("deleting a model version");
  }

  @Override
  public Optional<RegisteredModel> model(String name) {
    throw refused("reading a registered model");
  }

  @Override
  public List<ModelVersion> versions(String name) {
    throw refused("listing model versions");
  }

  @Override
  public Optional<ModelVersion> version(String name, int version) {
    throw refused("reading a model version");
  }

  @Override
  public Optional<ModelVersion> versionByAlias(String name, String alias) {
    throw refused("resolving an alias");
  }

  @Override
  public void setAlias(String name, String alias, int version, long now) {
    throw refused("setting an alias");
  }

  @Override
  public boolean deleteAlias(String name, String alias, long now) {
    throw refused("deleting an alias");
  }

  @Override
  public void setModelTag(String name, String key, String value, long now) {
    throw refused("tagging a registered model");
  }

  @Override
  public void setVersionTag(String name, int version, String key, String value, long now) {
    throw refused("tagging a model version");
  }

  @Override
  public void setModelDescription(String name, String description, long now) {
    throw refused("describing a registered model");
  }

  @Override
  public void setVersionDescription(String name, int version, String description, long now) {
    throw refused("describing a model version");
  }

  @Override
  public List<RegisteredModel> search(String nameLike, Map<String, String> tags) {
    throw refused("searching registered models");
  }

  @Override
  public List<ModelVersion> versionsOfRun(String runId) {
    throw refused("listing a run's model versions");
  }
}
