package dev.mlops.cli;

import static dev.mlops.cli.Fixtures.mlops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.cli.Fixtures.Result;
import dev.mlops.core.Frame;
import dev.mlops.monitoring.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code mlops check} on real CSV files: a reference classified without error and a current file
 * of 100 rows of which 80 are right (accuracy 0.8), each with one numeric feature.
 */
class CheckCommandTest {
  @TempDir Path dir;
  private String reference;
  private String current;

  @BeforeEach
  void writeFrames() throws IOException {
    StringBuilder ref = new StringBuilder("x,label,predicted\n");
    StringBuilder cur = new StringBuilder("x,label,predicted\n");
    for (int i = 0; i < 100; i++) {
      String label = i % 2 == 0 ? "pos" : "neg";
      ref.append(i % 10).append(',').append(label).append(',').append(label).append('\n');
      String predicted = i < 20 ? (label.equals("pos") ? "neg" : "pos") : label;
      cur.append(i % 10).append(',').append(label).append(',').append(predicted).append('\n');
    }
    reference = Files.writeString(dir.resolve("reference.csv"), ref).toString();
    current = Files.writeString(dir.resolve("current.csv"), cur).toString();
  }

  @Test
  void everyConditionHoldingExitsZeroAndSaysSo() {
    Result r = mlops("check", "--reference", reference, "--current", current, "--target", "label",
        "--prediction", "predicted", "--condition", "accuracy >= 0.75", "--condition", "drifted_share <= 0.5");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("PASS accuracy = 0.8 "), r.out());
    assertTrue(r.out().contains("PASS drifted_share = 0 "), r.out());
    assertTrue(r.out().contains("check passed: 2 of 2 conditions hold"), r.out());
    assertFalse(r.out().contains("FAIL"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void aFailedConditionExitsOneNamingItAndByHowMuch() {
    Result r = mlops("check", "--reference", reference, "--current", current, "--target", "label",
        "--prediction", "predicted", "--condition", "accuracy >= 0.9", "--condition", "missing_share:x <= 0.05");
    assertEquals(1, r.status(), r.err());
    assertTrue(r.out().contains("FAIL accuracy = 0.8, needs ≥ 0.9: failed by 0.1"), r.out());
    assertTrue(r.out().contains("PASS missing_share:x = 0 "), r.out());
    assertTrue(r.out().contains("check failed: 1 of 2 conditions failed"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void noConditionPassesAndPrintsTheDriftSummary() {
    Result r = mlops("check", "--reference", reference, "--current", current);
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("drift"), r.out());
    assertTrue(r.out().contains("check passed: 0 of 0 conditions hold"), r.out());
  }

  @Test
  void writesTheReportAsJsonAndHtml() throws IOException {
    Path json = dir.resolve("check.json");
    Path html = dir.resolve("check.html");
    Result r = mlops("check", "--reference", reference, "--current", current, "--target", "label",
        "--prediction", "predicted", "--condition", "accuracy >= 0.9", "--json", json.toString(),
        "--html", html.toString());
    assertEquals(1, r.status(), r.err());
    JsonNode report = new ObjectMapper().readTree(Files.readString(json));
    assertFalse(report.get("passed").asBoolean(), report.toString());
    assertEquals("accuracy", report.get("conditions").get(0).get("value").asText());
    assertEquals(0.1, report.get("conditions").get(0).get("shortfall").asDouble(), 1e-12);
    assertEquals(report.toString(), new ObjectMapper().readTree(expectedJson(reference, current)).toString());
    assertTrue(Files.readString(html).startsWith("<!DOCTYPE html>"), Files.readString(html));
    assertTrue(Files.readString(html).contains("accuracy"));
  }

  /** The library's own report of the same check, which the command must have written unchanged. */
  private static String expectedJson(String reference, String current) {
    return Check.between(Frame.readCsv(Path.of(reference)),
            Frame.readCsv(Path.of(current)))
        .target("label").prediction("predicted").condition("accuracy >= 0.9").run().toJson();
  }

  @Test
  void anUnreadableFileExitsOneWithTheReason() {
    Result r = mlops("check", "--reference", dir.resolve("absent.csv").toString(), "--current", current);
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith("mlops check: "), r.err());
    assertTrue(r.err().contains("absent.csv"), r.err());
    assertEquals("", r.out());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
    "--current|Missing required option: '--reference=CSV'",
    "--reference|Missing required option: '--current=CSV'",
    "--both --condition accuracy>0.9|cannot read the condition 'accuracy>0.9'",
    "--both --condition speed>=1|no value named 'speed'",
    "--both --target species|--target: neither",
    "--both --prediction guess|--prediction: neither",
    "--both --zzz 1|Unknown options: '--zzz', '1'"})
  void aWrongCommandLineExitsTwoWithTheReasonAndTheUsage(String args, String reason) {
    Fixtures.assertWrongCommandLine(mlops(arguments(args)), reason, "Usage: mlops check");
  }

  private String[] arguments(String args) {
    String expanded = args
        .replace("--both", "--reference " + reference + " --current " + current)
        .replaceFirst("^--current$", "--current " + current)
        .replaceFirst("^--reference$", "--reference " + reference);
    return ("check " + expanded).split(" ");
  }
}
