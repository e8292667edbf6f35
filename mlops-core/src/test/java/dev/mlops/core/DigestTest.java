package dev.mlops.core;

import static dev.mlops.core.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Known answers from FIPS 180-2 / NIST's published SHA-256 examples. */
class DigestTest {
  @TempDir Path dir;

  @Test
  void publishedTestVectors() {
    assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.of(new byte[0]).toString());
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Digest.of("abc").hex());
    assertEquals(
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        Digest.of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").hex());
    byte[] million = "a".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
    assertEquals("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Digest.of(million).hex());
    assertEquals(Digest.of(million), Digest.of(new ByteArrayInputStream(million)));
  }

  @Test
  void fileDigestEqualsBytesDigest() throws Exception {
    Path f = Files.writeString(dir.resolve("f.txt"), "abc");
    assertEquals(Digest.of("abc"), Digest.ofFile(f));
    assertThrows(NotFoundException.class, () -> Digest.ofFile(dir.resolve("missing")));
  }

  @Test
  void folderDigestDependsOnNamesAndBytesNotOnCreationOrder() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a/sub"));
    Files.writeString(dir.resolve("a/x.txt"), "1");
    Files.writeString(a.resolve("y.txt"), "2");
    Path b = Files.createDirectories(dir.resolve("b/sub"));
    Files.writeString(b.resolve("y.txt"), "2");
    Files.writeString(dir.resolve("b/x.txt"), "1");
    assertEquals(Digest.ofFolder(dir.resolve("a")), Digest.ofFolder(dir.resolve("b")));
    Files.writeString(b.resolve("y.txt"), "3");
    assertNotEquals(Digest.ofFolder(dir.resolve("a")), Digest.ofFolder(dir.resolve("b")));
    Files.move(b.resolve("y.txt"), b.resolve("z.txt"));
    Files.writeString(b.resolve("z.txt"), "2");
    assertNotEquals(Digest.ofFolder(dir.resolve("a")), Digest.ofFolder(dir.resolve("b")));
  }

  @Test
  void folderWithALinkIsRefused() throws Exception {
    Path f = Files.createDirectories(dir.resolve("f"));
    // the target lies outside the digested folder but inside the temporary one, so cleaning up
    // the temporary folder deletes it as well instead of warning about a link leading out of it
    Path outside = Files.writeString(dir.resolve("outside.txt"), "secret");
    Files.createSymbolicLink(f.resolve("link"), outside);
    assertMentions(assertThrows(InvalidInputException.class, () -> Digest.ofFolder(f)), "symbolic link");
  }

  @Test
  void parsesTextFormAndRefusesOthers() {
    Digest d = Digest.of("abc");
    assertEquals(d, Digest.parse(d.toString()));
    assertEquals(d, Digest.parse(d.toString().toUpperCase().replace("SHA256:", "sha256:")));
    assertMentions(assertThrows(InvalidInputException.class, () -> Digest.parse("md5:abc")), "'md5:abc'");
    assertMentions(assertThrows(InvalidInputException.class, () -> Digest.parse("sha256:xyz")), "'xyz'");
  }
}
