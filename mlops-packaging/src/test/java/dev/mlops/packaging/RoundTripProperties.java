package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever metadata, lineage and input example a package holds, reading it back gives them unchanged. */
class RoundTripProperties {
  private static final Schema EXAMPLE = Schema.of(
      Field.of("x1", FieldType.DOUBLE), Field.of("x2", FieldType.LONG), Field.optional("note", FieldType.STRING),
      Field.optional("flag", FieldType.BOOLEAN));

  @Provide
  Arbitrary<Map<String, String>> metadata() {
    Arbitrary<String> key = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> value = Arbitraries.strings().ofMaxLength(20);
    return Arbitraries.maps(key, value).ofMaxSize(5);
  }

  @Provide
  Arbitrary<Map<String, Double>> metrics() {
    Arbitrary<String> key = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    Arbitrary<Double> value = Arbitraries.oneOf(
        Arbitraries.doubles(), Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0));
    return Arbitraries.maps(key, value).ofMaxSize(5);
  }

  @Provide
  Arbitrary<List<Object[]>> rows() {
    Arbitrary<Object[]> row = Arbitraries.doubles().between(-1e6, 1e6).flatMap(x1 ->
        Arbitraries.longs().between(-1_000_000, 1_000_000).flatMap(x2 ->
            Arbitraries.strings().ofMaxLength(6).injectNull(0.3).flatMap(note ->
                Arbitraries.of(true, false).injectNull(0.3).map(flag -> new Object[] {x1, x2, note, flag}))));
    return row.list().ofMinSize(1).ofMaxSize(5);
  }

  @Property(tries = 30)
  void everythingWrittenIsReadBack(
      @ForAll("metadata") Map<String, String> metadata,
      @ForAll("metrics") Map<String, Double> metrics,
      @ForAll("rows") List<Object[]> rows)
      throws IOException {
    FrameBuilder fb = Frame.builder(EXAMPLE);
    rows.forEach(fb::row);
    Frame example = fb.build();
    ModelPackage.Builder b = ModelPackage.builder("props").version("1").model(PackageFixture.MODEL)
        .environment(PackageFixture.ENVIRONMENT).clock(PackageFixture.CLOCK)
        .inputExample(example).lineage("run", "exp", metrics);
    metadata.forEach(b::metadata);
    ModelPackage pkg = b.build();

    Path dir = Files.createTempDirectory("props");
    try {
      pkg.writeTo(dir.resolve("p.mlpkg"));
      ModelPackage back = ModelPackage.read(dir.resolve("p.mlpkg"));
      assertEquals(metadata, back.manifest().metadata());
      assertEquals(pkg.lineage(), back.lineage());
      assertEquals(example, back.inputExample().orElseThrow());
      assertEquals(pkg.digest(), back.digest());
    } finally {
      Files.deleteIfExists(dir.resolve("p.mlpkg"));
      Files.delete(dir);
    }
  }
}
