package dev.mlops.tracking.internal;

import dev.mlops.core.ConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A tracking server's access records in its store: bearer tokens by the hash of the token (the
 * token itself is never stored), basic-authentication passwords as salted hashes (the password
 * itself is never stored), and each user's permission on an experiment or a registered model.
 * Every method is one transaction of the {@link JdbcStore}.
 */
public final class AccessStore {
  /** The kind of resource an experiment permission names. */
  public static final String EXPERIMENT = "experiment";
  /** The kind of resource a registered-model permission names. */
  public static final String REGISTERED_MODEL = "registered_model";

  /**
   * The user and role a token belongs to.
   *
   * @param user the user's name
   * @param role the role's name
   */
  public record StoredToken(String user, String role) {}

  /**
   * The role and password hash of a user who signs in with a password.
   *
   * @param user the user's name
   * @param role the role's name
   * @param passwordHash the salted hash, as the server's {@code Users.hashPassword} encodes it
   */
  public record StoredPassword(String user, String role, String passwordHash) {}

  private final JdbcStore store;

  AccessStore(JdbcStore store) {
    this.store = store;
  }

  /** Records a token's hash with its user and role; a token hash is recorded once. */
  public void addToken(String tokenHash, String user, String role, long now) {
    store.write(c -> update(c, "INSERT INTO access_tokens (token_hash, user_name, role, creation_time)"
        + " VALUES (?, ?, ?, ?)", tokenHash, user, role, now));
  }

  /**
   * Records a user's password hash and role. A user is recorded once unless {@code replace}: then
   * the hash and role replace the recorded ones.
   *
   * @throws ConflictException if the user has a password already and {@code replace} is false
   */
  public void setPassword(String user, String role, String passwordHash, long now, boolean replace) {
    int written = store.write(c -> update(c, "INSERT INTO access_passwords (user_name, role, password_hash,"
        + " creation_time) VALUES (?, ?, ?, ?) ON CONFLICT (user_name) " + (replace ? "DO UPDATE SET role = excluded.role,"
        + " password_hash = excluded.password_hash, creation_time = excluded.creation_time" : "DO NOTHING"), user, role,
        passwordHash, now));
    if (written == 0) {
      throw new ConflictException("user '" + user + "' already has a password in this store; replace it (and the"
          + " role) with mlops server user create --replace, or choose another name");
    }
  }

  /** The role and password hash of the user with this name, when one was recorded. */
  public Optional<StoredPassword> password(String user) {
    return store.read(c -> password(c, user));
  }

  private static Optional<StoredPassword> password(Connection c, String user) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT user_name, role, password_hash FROM access_passwords"
        + " WHERE user_name = ?")) {
      p.setString(1, user);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(new StoredPassword(rs.getString(1), rs.getString(2), rs.getString(3)))
            : Optional.empty();
      }
    }
  }

  /**
   * Whether any token or password is recorded: then the server asks every caller for credentials.
   */
  public boolean hasCredentials() {
    return store.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM access_tokens UNION ALL"
          + " SELECT 1 FROM access_passwords LIMIT 1");
          ResultSet rs = p.executeQuery()) {
        return rs.next();
      }
    });
  }

  /** The user and role of the token with this hash. */
  public Optional<StoredToken> token(String tokenHash) {
    return store.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT user_name, role FROM access_tokens WHERE token_hash = ?")) {
        p.setString(1, tokenHash);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? Optional.of(new StoredToken(rs.getString(1), rs.getString(2))) : Optional.empty();
        }
      }
    });
  }

  /** A user's permission on a resource, when one was granted. */
  public Optional<String> permission(String kind, String resourceId, String user) {
    return store.read(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT permission FROM access_permissions"
          + " WHERE resource_kind = ? AND resource_id = ? AND user_name = ?")) {
        p.setString(1, kind);
        p.setString(2, resourceId);
        p.setString(3, user);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  /** Grants a user a permission on a resource, replacing the one granted before. */
  public void setPermission(String kind, String resourceId, String user, String permission) {
    store.write(c -> update(c, "INSERT INTO access_permissions (resource_kind, resource_id, user_name, permission)"
        + " VALUES (?, ?, ?, ?) ON CONFLICT (resource_kind, resource_id, user_name)"
        + " DO UPDATE SET permission = excluded.permission", kind, resourceId, user, permission));
  }

  /** Removes a user's permission on a resource; whether there was one. */
  public boolean deletePermission(String kind, String resourceId, String user) {
    return store.write(c -> update(c, "DELETE FROM access_permissions WHERE resource_kind = ? AND resource_id = ?"
        + " AND user_name = ?", kind, resourceId, user)) > 0;
  }

  /** Moves every permission on a resource to its new id (a registered model's new name). */
  public void renameResource(String kind, String oldId, String newId) {
    store.write(c -> update(c, "UPDATE access_permissions SET resource_id = ? WHERE resource_kind = ?"
        + " AND resource_id = ?", newId, kind, oldId));
  }

  /** Removes every permission on a resource. */
  public void forgetResource(String kind, String resourceId) {
    store.write(c -> update(c, "DELETE FROM access_permissions WHERE resource_kind = ? AND resource_id = ?", kind,
        resourceId));
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      return p.executeUpdate();
    }
  }
}
