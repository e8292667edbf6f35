package dev.mlops.server.internal.ui;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens that a state-changing form must carry: an HMAC of the user's name under a key drawn
 * when the server starts. Another site can make a browser send the user's credentials, but it
 * cannot read a page to learn the token, so its forged form is refused.
 */
final class Csrf {
  private final SecretKeySpec key;

  Csrf(SecureRandom random) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  /** The token of this user; of everyone on a server without users. */
  String token(String userOrNull) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] tag = mac.doFinal(("csrf\0" + (userOrNull == null ? "" : userOrNull)).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
    }
  }

  /** Whether a form's token is this user's, compared in constant time. */
  boolean valid(String userOrNull, String given) {
    return given != null && MessageDigest.isEqual(token(userOrNull).getBytes(StandardCharsets.US_ASCII),
        given.getBytes(StandardCharsets.UTF_8));
  }
}
