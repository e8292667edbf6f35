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
 * write by a reader (403), and may listen beyond loopback. Users recorded in the server's store
 * ({@link TrackingServer#createToken}, {@link TrackingServer#createUser}, {@code mlops server token
 * create}, {@code mlops server user create}) are kept under the same hashes.
 *
 * <pre>{@code
 * String token = Users.newToken();                         // hand it to the user once
 * Users users = Users.builder()
 *     .tokenHash(Users.hashToken(token), "ci", Role.EDITOR) // store only the hash
 *     .password("ana", "correct horse battery", Role.READER)
 *     .build();
 * TrackingServer.builder(uri).users(users).host("0.0.0.0").start();
 * String hash = Users.hashPassword("correct horse battery"); // pbkdf2-sha256:120000:<salt>:<hash>
 * Users.passwordMatches("correct horse battery", hash);      // true
 * }</pre>
 */
public final class Users {
  private static final int PBKDF2_ITERATIONS = 120_000;
  private static final int MAX_PBKDF2_ITERATIONS = 10_000_000;
  private static final int MIN_PASSWORD_LENGTH = 12;
  private static final String PASSWORD_SCHEME = "pbkdf2-sha256";
  // compared against when there is no such user, so that an unknown name takes as long as a known one
  private static final String NO_USER = PASSWORD_SCHEME + ":" + PBKDF2_ITERATIONS + ":"
      + Base64.getEncoder().encodeToString(new byte[16]) + ":" + Base64.getEncoder().encodeToString(new byte[32]);

  /**
   * A user the server knows.
   *
   * @param name the user's name
   * @param role what the user may do
   */
  public record User(String name, Role role) {}

  private record PasswordEntry(User user, String hash) {}

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
    boolean matches = passwordMatches(password, entry == null ? null : entry.hash());
    return entry != null && matches ? Optional.of(entry.user()) : Optional.empty();
  }

  /**
   * The salted hash under which a password is kept: {@code pbkdf2-sha256:<iterations>:<salt>:<hash>},
   * salt and hash in base64, a new random salt each time.
   *
   * @throws InvalidInputException if the password has fewer than 12 characters (the message never
   *     shows it)
   */
  public static String hashPassword(String password) {
    checkPassword("a password", password);
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder();
    return PASSWORD_SCHEME + ":" + PBKDF2_ITERATIONS + ":" + b64.encodeToString(salt) + ":"
        + b64.encodeToString(pbkdf2(password, salt, PBKDF2_ITERATIONS));
  }

  /**
   * Whether a password is the one a {@link #hashPassword} hash was made from. A null hash (no such
   * user) takes as long and answers false, as does a hash in another form.
   */
  public static boolean passwordMatches(String password, String passwordHash) {
    String[] parts = (passwordHash == null ? NO_USER : passwordHash).split(":", -1);
    if (parts.length != 4 || !parts[0].equals(PASSWORD_SCHEME)) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
        return false;
      }
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      boolean equal = MessageDigest.isEqual(pbkdf2(password, salt, iterations), expected);
      return equal && passwordHash != null;
    } catch (IllegalArgumentException e) {
      // a malformed count or base64: not a hash this class made
      return false;
    }
  }

  private static void checkPassword(String whose, String password) {
    if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
      throw new InvalidInputException(whose + " must have at least " + MIN_PASSWORD_LENGTH + " characters; this one"
          + " has " + (password == null ? 0 : password.length()));
    }
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
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
      checkPassword("the password of '" + user + "'", password);
      byName.put(checkName(user), new PasswordEntry(new User(user, role), hashPassword(password)));
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
