package dev.mlops.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Runs a Jupyter notebook written for the IJava kernel in a local JShell, the way IJava does:
 * each code cell is split into snippets with {@link SourceCodeAnalysis#analyzeCompletion}, line
 * magics ({@code %maven}, {@code %jars}) are checked against the build instead of downloading,
 * and {@code display(...)} records what it is given. Any rejected snippet or thrown exception
 * is a failure naming the cell and the snippet.
 */
final class NotebookRunner implements AutoCloseable {
  private static final Pattern MAVEN = Pattern.compile("%maven\\s+([\\w.\\-]+):([\\w.\\-]+):([\\w.\\-]+)\\s*");
  private static final Pattern JARS = Pattern.compile("%jars\\s+(.+)");

  /** What went wrong in a notebook. */
  static final class NotebookFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    NotebookFailure(String message) {
      super(message);
    }
  }

  private final String id = java.util.UUID.randomUUID().toString();
  private final JShell shell;
  private final Map<String, String> expectedVersions;
  private final List<String> checkedCoordinates = new ArrayList<>();

  /**
   * @param expectedVersions group:artifact (or group:* for a whole group) to the version the build uses
   */
  NotebookRunner(Map<String, String> expectedVersions) {
    this.expectedVersions = expectedVersions;
    this.shell = JShell.builder().executionEngine("local").build();
    for (String entry : System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator))) {
      shell.addToClasspath(entry);
    }
    // IJava's display(...) shows rich output; here it hands the value to a recorder so cells can
    // be checked without a kernel.
    eval(
        "display-stub",
        "Object display(Object value, String... mimeTypes) { return dev.mlops.examples.DisplayRecorder.record(\""
            + id + "\", value); }");
  }

  /** Runs every code cell of the notebook, in order. */
  void run(Path notebook) throws IOException {
    JsonNode nb = CanonicalJson.parse(Files.readAllBytes(notebook));
    JsonNode cells = nb.get("cells");
    if (cells == null || !cells.isArray()) {
      throw new NotebookFailure(notebook + " has no cells array; is it a Jupyter notebook?");
    }
    String language = nb.path("metadata").path("kernelspec").path("language").asText("");
    if (!language.equals("java")) {
      throw new NotebookFailure(notebook + " declares kernel language '" + language + "', not java");
    }
    int index = 0;
    for (JsonNode cell : cells) {
      index++;
      if (!"code".equals(cell.path("cell_type").asText())) {
        continue;
      }
      runCell(index, source(cell));
    }
  }

  /** The objects the notebook displayed, in order. */
  List<Object> displayed() {
    return DisplayRecorder.displayed(id);
  }

  /** The coordinates named by {@code %maven} lines, as checked. */
  List<String> checkedCoordinates() {
    return List.copyOf(checkedCoordinates);
  }

  private static String source(JsonNode cell) {
    JsonNode src = cell.get("source");
    if (src == null) {
      return "";
    }
    if (src.isArray()) {
      StringBuilder b = new StringBuilder();
      src.forEach(line -> b.append(line.asText()));
      return b.toString();
    }
    return src.asText();
  }

  private void runCell(int cellIndex, String source) {
    StringBuilder code = new StringBuilder();
    for (String line : source.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("%")) {
        magic(cellIndex, trimmed);
        code.append('\n');
      } else {
        code.append(line).append('\n');
      }
    }
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = code.toString();
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      switch (info.completeness()) {
        case EMPTY:
          return;
        case COMPLETE:
        case COMPLETE_WITH_SEMI:
          eval("cell " + cellIndex, info.source());
          remaining = info.remaining();
          break;
        default:
          throw new NotebookFailure(
              "cell " + cellIndex + ": incomplete or unparseable code (" + info.completeness() + "):\n" + remaining.strip());
      }
    }
  }

  private void magic(int cellIndex, String line) {
    Matcher m = MAVEN.matcher(line);
    if (m.matches()) {
      String ga = m.group(1) + ":" + m.group(2);
      String expected = expectedVersions.getOrDefault(ga, expectedVersions.get(m.group(1) + ":*"));
      if (expected == null) {
        throw new NotebookFailure("cell " + cellIndex + ": %maven names " + ga + ", which the build does not use");
      }
      if (!expected.equals(m.group(3))) {
        throw new NotebookFailure(
            "cell " + cellIndex + ": %maven asks for " + ga + ":" + m.group(3) + " but the build uses " + expected);
      }
      checkedCoordinates.add(ga + ":" + m.group(3));
      return;
    }
    if (JARS.matcher(line).matches()) {
      return;
    }
    throw new NotebookFailure("cell " + cellIndex + ": unsupported magic '" + line + "'");
  }

  private void eval(String where, String snippet) {
    for (SnippetEvent e : shell.eval(snippet)) {
      if (e.status() == Snippet.Status.REJECTED) {
        String messages =
            shell.diagnostics(e.snippet()).map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("; "));
        throw new NotebookFailure(where + ": snippet rejected: " + messages + "\n" + snippet.strip());
      }
      if (e.exception() != null) {
        Throwable t = e.exception();
        String type = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
        NotebookFailure f = new NotebookFailure(where + ": snippet threw " + type + ": " + t.getMessage() + "\n" + snippet.strip());
        f.initCause(t);
        throw f;
      }
    }
  }

  @Override
  public void close() {
    DisplayRecorder.forget(id);
    shell.close();
  }
}
