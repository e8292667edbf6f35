package dev.mlops.server.internal;

import dev.mlops.server.Role;
import dev.mlops.server.Users;
import dev.mlops.tracking.internal.AccessStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the credentials of a call: {@code Authorization: Bearer <token>} or {@code Basic
 * <base64 user:password>}, against the users given to the server and the tokens and passwords
 * recorded in its store (a password is checked against a user given to the server, then against
 * the store's user of that name).
 * Without either, every call is let through (the server then listens on loopback only) until a
 * token or password is recorded in the store: the store is asked again at most once a
 * {@linkplain #RECHECK recheck interval}, so credentials created while the server runs are asked for
 * from then on, without a restart; once asked for, they always are. A basic
 * credential that was verified is remembered by its hash, so that PBKDF2 runs once per credential
 * rather than once per call; one checked against the store is remembered with the stored hash and
 * counts only while that hash is still the one recorded, so a replaced password stops working at once.
 */
public final class Authenticator {
  private static final int REMEMBERED = 1024;

  private final Users users;
  private final AccessStore access;
  /** How often a server that asks for no credentials looks whether the store now holds some. */
  public static final Duration RECHECK = Duration.ofSeconds(1);

  private final Clock clock;
  private volatile boolean required;
  private volatile long nextCheckMillis;
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  // A basic credential found valid: the user, and the stored hash it matched (null for a user given to the server).
  private record Verified(Users.User user, String storedHashOrNull) {}

  /**
   * @param usersOrNull the users given to the server, or null
   * @param access the tokens and passwords recorded in the store (by {@code mlops server token create}
   *     and {@code mlops server user create})
   * @param required whether every call needs credentials: users were given or credentials recorded
   * @param clock the time of the rechecks
   */
  public Authenticator(Users usersOrNull, AccessStore access, boolean required, Clock clock) {
    this.users = usersOrNull;
    this.access = access;
    this.required = required;
    this.clock = clock;
    this.nextCheckMillis = clock.millis() + RECHECK.toMillis();
  }

  /** Whether calls need credentials now: users were given, or the store holds a token or password. */
  public boolean required() {
    if (!required) {
      long now = clock.millis();
      if (now >= nextCheckMillis) {
        // racing callers may both ask the store once; neither can turn the requirement off
        nextCheckMillis = now + RECHECK.toMillis();
        if (access.hasCredentials()) {
          required = true;
        }
      }
    }
    return required;
  }

  /**
   * The user making a call with this Authorization header (null when the header is absent), or
   * nobody on a server without users.
   *
   * @throws ApiException 401 when users are configured and the credentials are missing or wrong
   */
  public Optional<Users.User> authenticate(String header) {
    if (!required()) {
      return Optional.empty();
    }
    if (header == null) {
      throw unauthenticated("this server needs credentials: a bearer token or HTTP basic authentication");
    }
    Optional<Users.User> user;
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = header.substring(7).strip();
      user = Optional.ofNullable(users).flatMap(u -> u.byToken(token)).or(() -> stored(token));
    } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      user = basic(header.substring(6).strip());
    } else {
      throw unauthenticated("the Authorization header must be Bearer <token> or Basic <credentials>");
    }
    return Optional.of(user.orElseThrow(() -> unauthenticated("the credentials are not valid")));
  }

  /**
   * Refuses a write by a user whose role only reads.
   *
   * @throws ApiException 403
   */
  public static void authorize(Optional<Users.User> user, boolean writes, String what) {
    if (writes && user.isPresent() && !user.get().role().mayWrite()) {
      throw new ApiException(ErrorCode.PERMISSION_DENIED, "user '" + user.get().name() + "' has role "
          + user.get().role() + " and may not " + what + "; ask an admin for role " + Role.EDITOR);
    }
  }

  // A token recorded in the store; its role was checked when it was recorded.
  private Optional<Users.User> stored(String token) {
    return access.token(Users.hashToken(token)).map(t -> new Users.User(t.user(), Role.valueOf(t.role())));
  }

  private Optional<Users.User> basic(String encoded) {
    String key = Users.hashToken("basic:" + encoded);
    Verified known = verified.get(key);
    if (known != null && known.storedHashOrNull() == null) {
      return Optional.of(known.user());
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw unauthenticated("the basic credentials are not base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw unauthenticated("the basic credentials must be user:password");
    }
    String name = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    Optional<AccessStore.StoredPassword> stored = access.password(name);
    String storedHash = stored.map(AccessStore.StoredPassword::passwordHash).orElse(null);
    if (known != null && known.storedHashOrNull().equals(storedHash)) {
      return Optional.of(known.user());
    }
    Optional<Users.User> given = users == null ? Optional.empty() : users.byPassword(name, password);
    if (given.isPresent()) {
      return Optional.of(remember(key, new Verified(given.get(), null)));
    }
    if (!Users.passwordMatches(password, storedHash)) {
      verified.remove(key);
      return Optional.empty();
    }
    Users.User user = new Users.User(stored.get().user(), Role.valueOf(stored.get().role()));
    return Optional.of(remember(key, new Verified(user, storedHash)));
  }

  private Users.User remember(String key, Verified v) {
    if (verified.size() >= REMEMBERED) {
      verified.clear();
    }
    verified.put(key, v);
    return v.user();
  }

  private static ApiException unauthenticated(String message) {
    return new ApiException(ErrorCode.UNAUTHENTICATED, message);
  }
}
