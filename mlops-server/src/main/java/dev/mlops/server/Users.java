package dev.mlops.server;

import dev.mlops.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Who may call the tracking server: bearer tokens, kept only as their SHA-256, and HTTP basic
 * passwords (as MLflow's basic-auth app), kept only as salted PBKDF2 hashes, each with a role.
 * Immutable; a server given users refuses every call without valid credentials (401) and every
 * write by a reader (403), and may listen beyond loopback.
 *
 * <pre>{@code
 * String token = Users.newToken();                         // hand it to the user once
 * Users users = Users.builder()
 *     .tokenHash(Users.hashToken(token), "ci", Role.EDITOR) // store only the hash
 *     .password("ana", "correct horse battery", Role.READER)
 *     .build();
 * TrackingServer.builder(uri).users(users).host("0.0.0.0").start();
 * }</pre>
 */
public final class Users {
  private static final int PBKDF2_ITERATIONS = 120_000;
  private static final int MIN_PASSWORD_LENGTH = 12;

  /**
   * A user the server knows.
   *
   * @param name the user's name
   * @param role what the user may do
   */
  public record User(String name, Role role) {}

  private record PasswordEntry(User user, byte[] salt, byte[] hash) {}

  private final Map<String, User> byTokenHash;
  private final Map<String, PasswordEntry> byName;

  private Users(Map<String, User> byTokenHash, Map<String, PasswordEntry> byName) {
    this.byTokenHash = Map.copyOf(byTokenHash);
    this.byName = Map.copyOf(byName);
  }

  /** A builder of users. */
  public static Builder builder() {
    return new Builder();
  }

  /** A new random bearer token: 32 bytes from a secure random source, URL-safe base64. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The hash under which a token is kept: {@code sha256:} and 64 hex digits. */
  public static String hashToken(String token) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * Checks a user name: 1 to 100 letters, digits, {@code .}, {@code @}, {@code -} or {@code _}.
   *
   * @throws InvalidInputException naming the refused name
   */
  public static String checkName(String user) {
    if (user == null || !user.matches("[\\w.@\\-]{1,100}")) {
      throw new InvalidInputException("a user name is 1 to 100 letters, digits, '.', '@', '-' or '_'; got '"
          + user + "'");
    }
    return user;
  }

  /** The user a bearer token belongs to. */
  public Optional<User> byToken(String token) {
    return Optional.ofNullable(byTokenHash.get(hashToken(token)));
  }

  /** The user a name and password belong to; the comparison takes the same time whatever matches. */
  public Optional<User> byPassword(String name, String password) {
    PasswordEntry entry = byName.get(name);
    byte[] hash = pbkdf2(password, entry == null ? new byte[16] : entry.salt());
    return entry != null && MessageDigest.isEqual(hash, entry.hash()) ? Optional.of(entry.user()) : Optional.empty();
  }

  private static byte[] pbkdf2(String password, byte[] salt) {
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, PBKDF2_ITERATIONS, 256)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has PBKDF2WithHmacSHA256", e);
    }
  }

  /** Builds {@link Users}. */
  public static final class Builder {
    private final Map<String, User> byTokenHash = new HashMap<>();
    private final Map<String, PasswordEntry> byName = new HashMap<>();

    private Builder() {}

    /** A user who presents the token whose {@link #hashToken hash} this is. */
    public Builder tokenHash(String tokenHash, String user, Role role) {
      if (tokenHash == null || !tokenHash.matches("sha256:[0-9a-f]{64}")) {
        throw new InvalidInputException("a token hash is sha256: and 64 lower-case hex digits, as Users.hashToken"
            + " gives; the token itself is never stored");
      }
      byTokenHash.put(tokenHash, new User(checkName(user), role));
      return this;
    }

    /** A user who signs in with HTTP basic authentication; only a salted hash of the password is kept. */
    public Builder password(String user, String password, Role role) {
      if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
        throw new InvalidInputException("the password of '" + user + "' must have at least " + MIN_PASSWORD_LENGTH
            + " characters");
      }
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      byName.put(checkName(user), new PasswordEntry(new User(user, role), salt, pbkdf2(password, salt)));
      return this;
    }


    /** The users. */
    public Users build() {
      if (byTokenHash.isEmpty() && byName.isEmpty()) {
        throw new InvalidInputException("give at least one token or password, or leave users out and listen on"
            + " loopback only");
      }
      return new Users(byTokenHash, byName);
    }
  }
}
