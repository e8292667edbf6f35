package dev.mlops.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultTableTest {
  private final ResultTable table = new ResultTable(List.of(
      new ResultRow("a", "b", "1 ms", "2 ms", "0.500×", "≤ 1×", Optional.of(true), ""),
      new ResultRow("c", "d", "3 ms", "1 ms", "3.00×", "≤ 1×", Optional.of(false), "slow because"),
      ResultRow.notMeasured("e", "f", "< 1 s", "failed")),
      Instant.parse("2026-01-02T03:04:05Z"), Duration.ofSeconds(75), "default");

  @Test
  void markdownHasAHeaderASeparatorAndOneLinePerRow() {
    List<String> lines = table.toMarkdown().lines().toList();
    assertTrue(lines.get(0).contains("Date: 2026-01-02 03:04 UTC"), lines.get(0));
    assertTrue(lines.get(0).contains("1 min 15 s"), lines.get(0));
    assertTrue(lines.get(0).contains(Runtime.getRuntime().availableProcessors() + " cores"), lines.get(0));
    assertEquals("|---|---|---|---|---|---|---|---|", lines.get(3));
    assertEquals("|a | b | 1 ms | 2 ms | 0.500× | ≤ 1× | yes | |", lines.get(4));
    assertEquals("|c | d | 3 ms | 1 ms | 3.00× | ≤ 1× | **no** | slow because|", lines.get(5));
    assertEquals("|e | f | — | — | — | < 1 s | not measured | failed|", lines.get(6));
    assertEquals(7, lines.size());
  }

  @Test
  void aReasonIsAddedOnlyToARowThatMissedItsTarget() {
    ResultRow met = new ResultRow("a", "b", "1 ms", "2 ms", "0.5×", "≤ 1×", Optional.of(true), "");
    ResultRow missed = new ResultRow("a", "b", "3 ms", "1 ms", "3×", "≤ 1×", Optional.of(false), "one thread");
    assertEquals(met, met.ifMissed("slow"));
    assertEquals("one thread; not met: slow", missed.ifMissed("slow").note());
    assertEquals("failed", ResultRow.notMeasured("e", "f", "< 1 s", "failed").ifMissed("slow").note());
  }

  @Test
  void textNamesEveryRowAndItsVerdict() {
    String text = table.toText();
    assertTrue(text.contains("* c\n"), text);
    assertTrue(text.contains("met?:                no\n"), text);
    assertTrue(text.contains("note:                failed\n"), text);
  }
}
