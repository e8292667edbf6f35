package dev.mlops.server.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Path templates: one segment per placeholder, one or more for a last {@code ...} one, literals exactly. */
class UiRouteTest {
  private static String[] split(String path) {
    return path.split("/", -1);
  }

  @Test
  void literalsPlaceholdersAndTheRestMatchAsTheySay() {
    UiRoute run = new UiRoute("runs/{id}");
    assertTrue(run.matches(split("runs/abc")));
    assertFalse(run.matches(split("runs")));
    assertFalse(run.matches(split("runs/abc/artifacts")));
    assertFalse(run.matches(split("models/abc")));
    UiRoute artifact = new UiRoute("runs/{id}/artifacts/{path...}");
    assertTrue(artifact.matches(split("runs/abc/artifacts/a.txt")));
    assertTrue(artifact.matches(split("runs/abc/artifacts/data/deep/a.csv")));
    assertFalse(artifact.matches(split("runs/abc/artifacts")));
    assertFalse(artifact.matches(split("runs/abc/raw/a.txt")));
    assertTrue(new UiRoute("").matches(split("")));
    assertFalse(new UiRoute("").matches(split("experiments")));
  }

  /** A path filled into one of the UI's templates, and the template. */
  record Filled(String template, String path) {}

  @Provide
  Arbitrary<Filled> filled() {
    Arbitrary<String> segment = Arbitraries.strings().withCharRange('!', '~').excludeChars('/').ofMinLength(0)
        .ofMaxLength(12);
    return Combinators.combine(Arbitraries.of(UiHandler.PAGES), segment.list().ofMinSize(6).ofMaxSize(6),
        Arbitraries.integers().between(1, 4)).as((page, values, rest) -> {
          List<String> parts = new ArrayList<>();
          String[] want = split(page.template());
          for (int i = 0; i < want.length; i++) {
            boolean last = i == want.length - 1 && want[i].endsWith("...}");
            if (last) {
              parts.addAll(values.subList(i, Math.min(values.size(), i + rest)));
            } else {
              parts.add(want[i].startsWith("{") ? values.get(i) : want[i]);
            }
          }
          return new Filled(page.template(), String.join("/", parts));
        });
  }

  @Property
  void anyPathFilledIntoAPageIsThatPageAndNoEarlierOne(@ForAll("filled") Filled f) {
    String[] parts = split(f.path());
    String first = UiHandler.PAGES.stream().filter(p -> p.matches(parts)).findFirst().map(UiRoute::template)
        .orElse("none");
    assertEquals(f.template(), first, f.path());
  }
}
