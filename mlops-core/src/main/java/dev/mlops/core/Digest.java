package dev.mlops.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A SHA-256 digest, written {@code sha256:<64 lower-case hex digits>}. Immutable; equal digests
 * name equal content.
 *
 * <pre>{@code
 * Digest d = Digest.of("abc".getBytes(UTF_8));
 * d.toString();                        // sha256:ba7816bf8f01cfea...
 * Digest.ofFile(Path.of("model.mlpkg"));
 * Digest.ofFolder(Path.of("artifacts"));
 * Digest.parse("sha256:ba78...");
 * }</pre>
 *
 * @param hex the 64 lower-case hexadecimal digits
 */
public record Digest(String hex) {
  /** The prefix of the text form. */
  public static final String PREFIX = "sha256:";

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public Digest {
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new InvalidInputException(
          "'" + hex + "' is not a SHA-256 digest; expected 64 lower-case hex digits");
    }
  }

  /** The digest of these bytes. */
  public static Digest of(byte[] bytes) {
    return new Digest(DigestUtils.sha256Hex(bytes));
  }

  /** The digest of this text's UTF-8 bytes. */
  public static Digest of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The digest of everything left in the stream; the stream is read to its end, not closed. */
  public static Digest of(InputStream in) {
    try {
      return new Digest(DigestUtils.sha256Hex(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The digest of a regular file's bytes.
   *
   * @throws NotFoundException if there is no such file
   */
  public static Digest ofFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("no file '" + file + "' to digest; check the path", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read '" + file + "'", e);
    }
  }

  /**
   * The digest of a folder's content: for every regular file below it, sorted by relative path
   * with {@code /} separators, the line {@code <relative path> <file digest hex>\n}. It depends
   * on names and bytes only, not on times, permissions or the platform. Symbolic links are
   * refused rather than followed, so the digest cannot be steered outside the folder.
   *
   * @throws NotFoundException if the folder does not exist
   * @throws InvalidInputException if the folder holds a symbolic link
   */
  public static Digest ofFolder(Path folder) {
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      throw new NotFoundException("no folder '" + folder + "' to digest; check the path");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list '" + folder + "'", e);
    }
    TreeMap<String, Path> sorted = new TreeMap<>();
    files.forEach(p -> sorted.put(relative(folder, p), p));
    MessageDigest sha = DigestUtils.getSha256Digest();
    for (Map.Entry<String, Path> e : sorted.entrySet()) {
      if (Files.isSymbolicLink(e.getValue())) {
        throw new InvalidInputException(
            "'" + e.getValue() + "' is a symbolic link; a folder digest covers regular files only");
      }
      sha.update((e.getKey() + " " + ofFile(e.getValue()).hex() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return new Digest(Hex.encodeHexString(sha.digest()));
  }

  /**
   * Reads the text form {@code sha256:<hex>}; upper-case hex digits are accepted and lowered.
   *
   * @throws InvalidInputException if the text is not a SHA-256 digest
   */
  public static Digest parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new InvalidInputException(
          "'" + text + "' is not a digest; expected 'sha256:' followed by 64 hex digits");
    }
    return new Digest(text.substring(PREFIX.length()).toLowerCase(Locale.ROOT));
  }

  private static String relative(Path root, Path p) {
    return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
  }

  @Override
  public String toString() {
    return PREFIX + hex;
  }
}
