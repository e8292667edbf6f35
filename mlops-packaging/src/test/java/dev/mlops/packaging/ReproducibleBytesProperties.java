package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The same inputs give the same package bytes, whatever the default time zone, the folder the
 * artifacts come from, and the order they were added in.
 */
class ReproducibleBytesProperties {
  private static final List<String> ZONES = List.of("UTC", "America/New_York", "Asia/Tokyo");
  private TimeZone original;
  private final List<Path> folders = new ArrayList<>();

  @BeforeProperty
  void remember() {
    original = TimeZone.getDefault();
  }

  @AfterProperty
  void restore() throws IOException {
    TimeZone.setDefault(original);
    for (Path folder : folders) {
      try (var files = Files.walk(folder)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Provide
  Arbitrary<Map<String, byte[]>> artifactSets() {
    Arbitrary<String> segment = Arbitraries.strings().withCharRange('a', 'e').ofMinLength(1).ofMaxLength(4);
    Arbitrary<String> path = segment.list().ofMinSize(1).ofMaxSize(3).map(s -> String.join("/", s));
    Arbitrary<byte[]> content = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    return Arbitraries.maps(path, content).ofMaxSize(6).filter(ReproducibleBytesProperties::noFileIsAFolder);
  }

  @Provide
  Arbitrary<int[]> zonePairs() {
    return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 2))
        .as((a, b) -> new int[] {a, b});
  }

  @Property(tries = 40)
  void sameInputsGiveSameBytes(
      @ForAll("artifactSets") Map<String, byte[]> artifacts, @ForAll("zonePairs") int[] zones, @ForAll long shuffleSeed)
      throws IOException {
    List<String> order = new ArrayList<>(artifacts.keySet());
    TimeZone.setDefault(TimeZone.getTimeZone(ZONES.get(zones[0])));
    byte[] first = build(artifacts, order);

    Collections.shuffle(order, new Random(shuffleSeed));
    TimeZone.setDefault(TimeZone.getTimeZone(ZONES.get(zones[1])));
    byte[] second = build(artifacts, order);

    assertArrayEquals(first, second);
  }

  @Property(tries = 10)
  void writtenFilesAreTheSameBytesAsInMemory(@ForAll("artifactSets") Map<String, byte[]> artifacts) throws IOException {
    byte[] bytes = build(artifacts, new ArrayList<>(artifacts.keySet()));
    Path folder = newFolder();
    ModelPackage pkg = ModelPackage.read(Files.write(folder.resolve("p.mlpkg"), bytes));
    assertEquals(artifacts.keySet(), pkg.artifacts().keySet());
    pkg.writeTo(folder.resolve("again.mlpkg"));
    assertArrayEquals(bytes, Files.readAllBytes(folder.resolve("again.mlpkg")));
  }

  private byte[] build(Map<String, byte[]> artifacts, List<String> order) throws IOException {
    Path folder = newFolder();
    ModelPackage.Builder b = ModelPackage.builder("repro").version("1").model(PackageFixture.MODEL)
        .inputExample(TrainedModels.example(3, 1)).metadata("k", "v").clock(PackageFixture.CLOCK)
        .environment(PackageFixture.ENVIRONMENT);
    int i = 0;
    for (String path : order) {
      Path file = Files.write(folder.resolve("f" + i++), artifacts.get(path));
      b.artifact(path, file);
    }
    return b.build().toBytes();
  }

  private Path newFolder() throws IOException {
    Path folder = Files.createTempDirectory("bytes");
    folders.add(folder);
    return folder;
  }

  private static boolean noFileIsAFolder(Map<String, byte[]> artifacts) {
    return artifacts.keySet().stream().noneMatch(a -> artifacts.keySet().stream().anyMatch(b -> b.startsWith(a + "/")));
  }
}
