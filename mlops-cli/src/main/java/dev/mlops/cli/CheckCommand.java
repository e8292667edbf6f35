package dev.mlops.cli;

import dev.mlops.core.Frame;
import dev.mlops.core.InvalidInputException;
import dev.mlops.monitoring.Check;
import dev.mlops.monitoring.CheckReport;
import dev.mlops.monitoring.ConditionResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mlops check}: a quality check of current data against a reference, for a pipeline to
 * gate on. Both frames are CSV files with a header row (column types inferred); the conditions are
 * those of {@link Check#condition(String)}. Prints every condition's outcome, failures saying by
 * how much, and optionally writes the whole report as JSON and HTML.
 *
 * <pre>{@code
 * mlops check --reference train.csv --current today.csv --target label --prediction predicted \
 *     --condition "accuracy >= 0.9" --condition "drifted_share <= 0.3" --html check.html
 * }</pre>
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check current data against a reference: feature, target and prediction drift, classification or regression"
          + " quality, and pass/fail conditions on any of these values.",
      "Exit status 0 when every condition passes, 1 when one fails (or a file cannot be read), 2 for a wrong"
          + " command line."
    })
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--reference", required = true, paramLabel = "CSV", description = "The reference data, a CSV file with a header row.")
  Path reference;

  @Option(names = "--current", required = true, paramLabel = "CSV", description = "The current data, a CSV file with a header row.")
  Path current;

  @Option(names = "--target", paramLabel = "COLUMN", description = "The column of true labels (categorical) or target values (numeric).")
  String target;

  @Option(names = "--prediction", paramLabel = "COLUMN", description = "The column of predicted labels or values.")
  String prediction;

  @Option(names = "--condition", paramLabel = "EXPR",
      description = "A condition such as \"accuracy >= 0.9\", \"drifted_share <= 0.3\" or \"missing_share:age <= 0.05\"; repeatable.")
  List<String> conditions = new ArrayList<>();

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to this file.")
  Path json;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write the report as HTML to this file.")
  Path html;

  @Override
  public Integer call() {
    Frame ref = Frame.readCsv(reference);
    Frame cur = Frame.readCsv(current);
    Check check = Check.between(ref, cur);
    if (target != null) {
      check.target(knownColumn("--target", target, ref, cur));
    }
    if (prediction != null) {
      check.prediction(knownColumn("--prediction", prediction, ref, cur));
    }
    for (String condition : conditions) {
      try {
        check.condition(condition);
      } catch (InvalidInputException e) {
        throw new ParameterException(spec.commandLine(), "--condition: " + e.getMessage(), e);
      }
    }
    CheckReport report = check.run();
    write(json, report.toJson());
    write(html, report.toHtml());
    PrintWriter out = spec.commandLine().getOut();
    out.println(report.drift().summary());
    for (ConditionResult c : report.conditions()) {
      out.println((c.passed() ? "  PASS " : "  FAIL ") + c.message());
    }
    int failed = report.failures().size();
    out.println(failed == 0
        ? "check passed: " + report.conditions().size() + " of " + report.conditions().size() + " conditions hold"
        : "check failed: " + failed + " of " + report.conditions().size() + " conditions failed");
    out.flush();
    return report.exitStatus();
  }

  private String knownColumn(String option, String column, Frame ref, Frame cur) {
    if (!ref.columnNames().contains(column) && !cur.columnNames().contains(column)) {
      throw new ParameterException(spec.commandLine(), option + ": neither " + reference + " nor " + current
          + " has a column '" + column + "'; the reference's columns are " + ref.columnNames());
    }
    return column;
  }

  private static void write(Path file, String text) {
    if (file == null) {
      return;
    }
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
