package dev.mlops.tracking.internal;

import dev.mlops.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Page tokens: the offset of the next page, in an opaque form callers pass back unchanged. */
public final class PageTokens {
  private static final String PREFIX = "offset:";

  private PageTokens() {}

  /** The token for a page starting at this offset. */
  public static String encode(int offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
  }

  /** The offset in a token from {@link #encode}. */
  public static int decode(String token) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith(PREFIX)) {
        int offset = Integer.parseInt(text.substring(PREFIX.length()));
        if (offset >= 0) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new InvalidInputException("'" + token + "' is not a page token; pass the nextPageToken of a previous page");
  }
}
