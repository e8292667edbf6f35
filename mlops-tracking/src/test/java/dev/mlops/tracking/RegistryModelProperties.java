package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mlops.core.NotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Model-based: any sequence of registrations and alias moves and deletions leaves the registry
 * as a plain map says — versions 1..n without gaps, each alias on the version it was last set
 * to, resolvable, and refused operations (an unknown version or alias) change nothing.
 */
class RegistryModelProperties {
  private static Path dir;
  private static Tracker tracker;
  private static Path packageFile;

  @BeforeContainer
  static void open() throws IOException {
    dir = Files.createTempDirectory("mlops-registry-property");
    tracker = Tracker.builder("sqlite:" + dir.resolve("mlops.db")).environment(TrackerContract.ENVIRONMENT).build();
    packageFile = TestPackages.file(dir, "churn", "1", null);
  }

  @AfterContainer
  static void close() throws IOException {
    tracker.close();
    TestFolders.deleteTree(dir);
  }

  sealed interface Op permits Register, SetAlias, DeleteAlias {}

  record Register() implements Op {}

  record SetAlias(String alias, int version) implements Op {}

  record DeleteAlias(String alias) implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<String> aliases = Arbitraries.of("champion", "challenger", "canary-1", "é_b");
    Arbitrary<Op> register = Arbitraries.just(new Register());
    Arbitrary<Op> set = Combinators.combine(aliases, Arbitraries.integers().between(1, 5)).as(SetAlias::new);
    Arbitrary<Op> delete = aliases.map(DeleteAlias::new);
    return Arbitraries.frequencyOf(Tuple.of(2, register), Tuple.of(3, set), Tuple.of(1, delete)).list().ofMaxSize(12);
  }

  @Property(tries = 30)
  void theRegistryAgreesWithAMap(@ForAll("ops") List<Op> ops) {
    ModelRegistry registry = tracker.registry();
    String model = "m-" + UUID.randomUUID();
    int latest = 0;
    Map<String, Integer> aliases = new TreeMap<>();
    for (Op op : ops) {
      if (op instanceof Register) {
        latest++;
        assertEquals(latest, registry.register(model, packageFile).version());
      } else if (op instanceof SetAlias s) {
        if (s.version() <= latest) {
          registry.setAlias(model, s.alias(), s.version());
          aliases.put(s.alias(), s.version());
        } else {
          assertThrows(NotFoundException.class, () -> registry.setAlias(model, s.alias(), s.version()));
        }
      } else if (op instanceof DeleteAlias d) {
        if (aliases.remove(d.alias()) != null) {
          registry.deleteAlias(model, d.alias());
        } else {
          assertThrows(NotFoundException.class, () -> registry.deleteAlias(model, d.alias()));
        }
      }
    }
    if (latest == 0) {
      assertThrows(NotFoundException.class, () -> registry.model(model));
      return;
    }
    RegisteredModel stored = registry.model(model);
    assertEquals(latest, stored.latestVersion());
    assertEquals(aliases, stored.aliases());
    List<Integer> numbers = new ArrayList<>();
    for (ModelVersion v : registry.versions(model)) {
      numbers.add(v.version());
      assertEquals(aliases.entrySet().stream().filter(e -> e.getValue() == v.version()).map(Map.Entry::getKey).sorted()
          .toList(), v.aliases());
    }
    assertEquals(IntStream.rangeClosed(1, latest).boxed().toList(), numbers);
    for (Map.Entry<String, Integer> a : aliases.entrySet()) {
      assertEquals(a.getValue(), registry.resolve("models:/" + model + "@" + a.getKey()).version());
    }
    assertEquals(latest, registry.resolve("models:/" + model + "@latest").version());
  }
}
