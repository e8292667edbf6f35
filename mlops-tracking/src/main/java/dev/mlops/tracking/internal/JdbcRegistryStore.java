package dev.mlops.tracking.internal;

import dev.mlops.core.ConflictException;
import dev.mlops.core.Digest;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.Schema;
import dev.mlops.packaging.ModelSignature;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@link RegistryStore} on the tables of {@code V2__registry}, inside the transactions and
 * retries of a {@link JdbcStore}. A registration increments its model's {@code latest_version}
 * with an UPDATE before it inserts the version: the UPDATE holds the model row's lock until the
 * transaction ends (on SQLite the whole database is locked from {@code BEGIN IMMEDIATE}), so a
 * concurrent registration waits and then reads the incremented counter; a rolled-back one gives
 * its number back.
 */
final class JdbcRegistryStore implements RegistryStore {
  private static final String VERSION_COLUMNS = "name, version, run_id, artifact_name, location, package_digest,"
      + " signature_json, description, creation_time, last_update_time";

  // Tables naming a model, other than its versions; each is emptied of the model before its versions go.
  private static final List<String> CHILD_TABLES = List.of("registered_model_aliases", "registered_model_tags",
      "model_version_tags", "model_version_datasets");

  private final JdbcStore store;
  private final Dialect dialect;
  private final Path artifactRoot;

  JdbcRegistryStore(JdbcStore store, Dialect dialect, Path artifactRoot) {
    this.store = store;
    this.dialect = dialect;
    this.artifactRoot = artifactRoot;
  }

  // ---------------------------------------------------------------- logged packages

  @Override
  public LoggedModel recordLoggedModel(String runId, ArtifactRepository.Staged staged, LoggedModel model) {
    return store.write(c -> {
      JdbcStore.requireActiveRun(c, runId);
      int inserted;
      try (PreparedStatement p = c.prepareStatement("INSERT INTO logged_models (run_id, name, location, package_digest,"
          + " file_sha256, signature_json, creation_time) VALUES (?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (run_id, name) DO NOTHING")) {
        p.setString(1, runId);
        p.setString(2, model.name());
        p.setString(3, model.location());
        p.setString(4, model.packageDigest().toString());
        p.setString(5, model.fileSha256().toString());
        p.setString(6, model.signatureJson());
        p.setLong(7, model.creationTime());
        inserted = p.executeUpdate();
      }
      if (inserted == 0) {
        return loadLoggedModel(c, runId, model.name()).orElseThrow();
      }
      JdbcStore.upsertArtifact(c, runId, staged.info());
      // the row lock taken by the insert is held until the commit, so no other writer moves its file now
      staged.place();
      return model;
    });
  }

  @Override
  public Optional<LoggedModel> loggedModel(String runId, String name) {
    return store.read(c -> loadLoggedModel(c, runId, name));
  }

  private static Optional<LoggedModel> loadLoggedModel(Connection c, String runId, String name) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT name, location, package_digest, file_sha256, signature_json,"
        + " creation_time FROM logged_models WHERE run_id = ? AND name = ?")) {
      p.setString(1, runId);
      p.setString(2, name);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next()
            ? Optional.of(new LoggedModel(rs.getString(1), rs.getString(2), Digest.parse(rs.getString(3)),
                Digest.parse(rs.getString(4)), rs.getString(5), rs.getLong(6)))
            : Optional.empty();
      }
    }
  }

  // ---------------------------------------------------------------- versions

  @Override
  public ModelVersion createVersion(NewModelVersion v) {
    return store.write(c -> {
      if (v.runIdOrNull() != null) {
        JdbcStore.requireActiveRun(c, v.runIdOrNull());
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO registered_models (name, description, latest_version,"
          + " creation_time, last_update_time) VALUES (?, '', 0, ?, ?) ON CONFLICT (name) DO NOTHING")) {
        p.setString(1, v.modelName());
        p.setLong(2, v.now());
        p.setLong(3, v.now());
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE registered_models SET latest_version = latest_version + 1,"
          + " last_update_time = ? WHERE name = ?")) {
        p.setLong(1, v.now());
        p.setString(2, v.modelName());
        p.executeUpdate();
      }
      int number;
      try (PreparedStatement p = c.prepareStatement("SELECT latest_version FROM registered_models WHERE name = ?")) {
        p.setString(1, v.modelName());
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          number = rs.getInt(1);
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO model_versions (" + VERSION_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?)")) {
        p.setString(1, v.modelName());
        p.setInt(2, number);
        p.setString(3, v.runIdOrNull());
        p.setString(4, v.artifactNameOrNull());
        p.setString(5, v.location());
        p.setString(6, v.packageDigest().toString());
        p.setString(7, v.signatureJson());
        p.setLong(8, v.now());
        p.setLong(9, v.now());
        p.executeUpdate();
      }
      if (v.runIdOrNull() != null) {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO model_version_datasets (name, version, dataset_name,"
            + " digest, context, schema_json) SELECT ?, ?, name, digest, context, schema_json FROM datasets"
            + " WHERE run_id = ?")) {
          p.setString(1, v.modelName());
          p.setInt(2, number);
          p.setString(3, v.runIdOrNull());
          p.executeUpdate();
        }
      }
      for (Map.Entry<String, String> tag : new TreeMap<>(v.tags()).entrySet()) {
        update(c, "INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)", v.modelName(), number,
            tag.getKey(), tag.getValue());
      }
      return loadVersions(c, "name = ? AND version = ?", v.modelName(), number).get(0);
    });
  }

  @Override
  public List<ModelVersion> versions(String name) {
    return store.read(c -> loadVersions(c, "name = ? ORDER BY version", name));
  }

  @Override
  public Optional<ModelVersion> version(String name, int version) {
    return store.read(c -> first(loadVersions(c, "name = ? AND version = ?", name, version)));
  }

  @Override
  public Optional<ModelVersion> versionByAlias(String name, String alias) {
    return store.read(c -> first(loadVersions(c, "name = ? AND version = (SELECT version FROM registered_model_aliases"
        + " WHERE name = ? AND alias = ?)", name, name, alias)));
  }

  @Override
  public List<ModelVersion> versionsOfRun(String runId) {
    return store.read(c -> {
      JdbcStore.requireRun(c, runId);
      return loadVersions(c, "run_id = ? ORDER BY name, version", runId);
    });
  }

  private static <T> Optional<T> first(List<T> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  private List<ModelVersion> loadVersions(Connection c, String where, Object... args) throws SQLException {
    List<ModelVersion> versions = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE " + where)) {
      bind(p, args);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          int number = rs.getInt(2);
          Map<String, String> tags = new HashMap<>();
          List<String> aliases = new ArrayList<>();
          List<DatasetInput> datasets = new ArrayList<>();
          rows(c, "SELECT key, value FROM model_version_tags WHERE name = ? AND version = ?",
              r -> tags.put(r.getString(1), r.getString(2)), name, number);
          rows(c, "SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ?",
              r -> aliases.add(r.getString(1)), name, number);
          rows(c, "SELECT dataset_name, digest, schema_json, context FROM model_version_datasets"
                  + " WHERE name = ? AND version = ? ORDER BY dataset_name, context, digest",
              r -> datasets.add(new DatasetInput(r.getString(1), Digest.parse(r.getString(2)),
                  r.getString(3) == null ? null : Schema.fromJson(r.getString(3)), r.getString(4))),
              name, number);
          versions.add(new ModelVersion(name, number, rs.getString(3), rs.getString(4),
              artifactRoot.resolve(rs.getString(5)), Digest.parse(rs.getString(6)),
              ModelSignature.fromJson(rs.getString(7)), rs.getString(8), tags, aliases, datasets, rs.getLong(9),
              rs.getLong(10)));
        }
      }
    }
    return versions;
  }

  // ---------------------------------------------------------------- models

  @Override
  public Optional<RegisteredModel> model(String name) {
    return store.read(c -> first(loadModels(c, "name = ?", name)));
  }

  @Override
  public List<RegisteredModel> search(String nameLike, Map<String, String> tags) {
    StringBuilder where = new StringBuilder("1 = 1");
    List<Object> args = new ArrayList<>();
    if (nameLike != null) {
      where.append(" AND ").append(dialect.like("name", false));
      args.add(dialect.likePattern(nameLike, false));
    }
    for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
      where.append(" AND EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.name = registered_models.name"
          + " AND t.key = ? AND t.value = ?)");
      args.add(t.getKey());
      args.add(t.getValue());
    }
    where.append(" ORDER BY name");
    return store.read(c -> loadModels(c, where.toString(), args.toArray()));
  }

  private static List<RegisteredModel> loadModels(Connection c, String where, Object... args) throws SQLException {
    List<RegisteredModel> models = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT name, description, latest_version, creation_time,"
        + " last_update_time FROM registered_models WHERE " + where)) {
      bind(p, args);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          Map<String, String> tags = new HashMap<>();
          Map<String, Integer> aliases = new HashMap<>();
          rows(c, "SELECT key, value FROM registered_model_tags WHERE name = ?",
              r -> tags.put(r.getString(1), r.getString(2)), name);
          rows(c, "SELECT alias, version FROM registered_model_aliases WHERE name = ?",
              r -> aliases.put(r.getString(1), r.getInt(2)), name);
          models.add(new RegisteredModel(name, rs.getString(2), rs.getInt(3), tags, aliases, rs.getLong(4),
              rs.getLong(5)));
        }
      }
    }
    return models;
  }

  @Override
  public void createModel(String name, String description, Map<String, String> tags, long now) {
    store.write(c -> {
      if (update(c, "INSERT INTO registered_models (name, description, latest_version, creation_time,"
          + " last_update_time) VALUES (?, ?, 0, ?, ?) ON CONFLICT (name) DO NOTHING", name, description, now, now) == 0) {
        throw modelExists(name);
      }
      for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
        update(c, "INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)", name, t.getKey(),
            t.getValue());
      }
      return null;
    });
  }

  private static ConflictException modelExists(String name) {
    return new ConflictException("a registered model named '" + name + "' exists already; choose another name");
  }

  // The children reference the model's name without ON UPDATE CASCADE: copy under the new name, then drop the old.
  @Override
  public void renameModel(String name, String newName, long now) {
    store.write(c -> {
      requireModel(c, name);
      if (name.equals(newName)) {
        return null;
      }
      if (exists(c, "SELECT 1 FROM registered_models WHERE name = ?", newName)) {
        throw modelExists(newName);
      }
      update(c, "INSERT INTO registered_models (name, description, latest_version, creation_time, last_update_time)"
          + " SELECT ?, description, latest_version, creation_time, ? FROM registered_models WHERE name = ?",
          newName, now, name);
      update(c, "INSERT INTO model_versions (" + VERSION_COLUMNS + ") SELECT ?, version, run_id, artifact_name,"
          + " location, package_digest, signature_json, description, creation_time, last_update_time"
          + " FROM model_versions WHERE name = ?", newName, name);
      for (String table : CHILD_TABLES) {
        update(c, "UPDATE " + table + " SET name = ? WHERE name = ?", newName, name);
      }
      update(c, "DELETE FROM model_versions WHERE name = ?", name);
      update(c, "DELETE FROM registered_models WHERE name = ?", name);
      return null;
    });
  }

  @Override
  public void deleteModel(String name) {
    store.write(c -> {
      requireModel(c, name);
      for (String table : CHILD_TABLES) {
        update(c, "DELETE FROM " + table + " WHERE name = ?", name);
      }
      update(c, "DELETE FROM model_versions WHERE name = ?", name);
      update(c, "DELETE FROM registered_models WHERE name = ?", name);
      return null;
    });
  }

  @Override
  public void deleteVersion(String name, int version, long now) {
    store.write(c -> {
      requireVersion(c, name, version);
      for (String table : List.of("registered_model_aliases", "model_version_tags", "model_version_datasets")) {
        update(c, "DELETE FROM " + table + " WHERE name = ? AND version = ?", name, version);
      }
      update(c, "DELETE FROM model_versions WHERE name = ? AND version = ?", name, version);
      touchModel(c, name, now);
      return null;
    });
  }

  // ---------------------------------------------------------------- aliases, tags, descriptions

  @Override
  public void setAlias(String name, String alias, int version, long now) {
    store.write(c -> {
      requireVersion(c, name, version);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO registered_model_aliases (name, alias, version)"
          + " VALUES (?, ?, ?) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version")) {
        p.setString(1, name);
        p.setString(2, alias);
        p.setInt(3, version);
        p.executeUpdate();
      }
      touchModel(c, name, now);
      return null;
    });
  }

  @Override
  public boolean deleteAlias(String name, String alias, long now) {
    return store.write(c -> {
      requireModel(c, name);
      int deleted = update(c, "DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?", name, alias);
      if (deleted > 0) {
        touchModel(c, name, now);
      }
      return deleted > 0;
    });
  }

  @Override
  public void setModelTag(String name, String key, String value, long now) {
    store.write(c -> {
      requireModel(c, name);
      if (value == null) {
        update(c, "DELETE FROM registered_model_tags WHERE name = ? AND key = ?", name, key);
      } else {
        update(c, "INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)"
            + " ON CONFLICT (name, key) DO UPDATE SET value = excluded.value", name, key, value);
      }
      touchModel(c, name, now);
      return null;
    });
  }

  @Override
  public void setVersionTag(String name, int version, String key, String value, long now) {
    store.write(c -> {
      requireVersion(c, name, version);
      if (value == null) {
        update(c, "DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?", name, version, key);
      } else {
        update(c, "INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value", name, version, key, value);
      }
      update(c, "UPDATE model_versions SET last_update_time = ? WHERE name = ? AND version = ?", now, name, version);
      return null;
    });
  }

  @Override
  public void setModelDescription(String name, String description, long now) {
    store.write(c -> {
      requireModel(c, name);
      update(c, "UPDATE registered_models SET description = ?, last_update_time = ? WHERE name = ?",
          description, now, name);
      return null;
    });
  }

  @Override
  public void setVersionDescription(String name, int version, String description, long now) {
    store.write(c -> {
      requireVersion(c, name, version);
      update(c, "UPDATE model_versions SET description = ?, last_update_time = ? WHERE name = ? AND version = ?",
          description, now, name, version);
      return null;
    });
  }

  private static void touchModel(Connection c, String name, long now) throws SQLException {
    update(c, "UPDATE registered_models SET last_update_time = ? WHERE name = ?", now, name);
  }

  // ---------------------------------------------------------------- checks and plumbing

  private static void requireModel(Connection c, String name) throws SQLException {
    if (!exists(c, "SELECT 1 FROM registered_models WHERE name = ?", name)) {
      throw RegistryStore.unknownModel(name);
    }
  }

  private static void requireVersion(Connection c, String name, int version) throws SQLException {
    requireModel(c, name);
    if (!exists(c, "SELECT 1 FROM model_versions WHERE name = ? AND version = ?", name, version)) {
      throw unknownVersion(name, version);
    }
  }

  static NotFoundException unknownVersion(String name, int version) {
    return new NotFoundException("registered model '" + name + "' has no version " + version
        + "; list its versions with tracker.registry().versions(name)");
  }

  private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      bind(p, args);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      bind(p, args);
      return p.executeUpdate();
    }
  }

  @FunctionalInterface
  private interface Row {
    void accept(ResultSet rs) throws SQLException;
  }

  private static void rows(Connection c, String sql, Row row, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      bind(p, args);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          row.accept(rs);
        }
      }
    }
  }

  private static void bind(PreparedStatement p, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      p.setObject(i + 1, args[i]);
    }
  }
}
