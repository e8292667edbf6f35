package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.examples.NotebookRunner.CellRun;
import dev.mlops.examples.NotebookRunner.NotebookFailure;
import dev.mlops.examples.NotebookRunner.Output;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart notebook runs cell by cell as IJava 1.3.0 would run it, from its one
 * {@code %maven} line, and is committed with the outputs of such a run; a broken copy fails
 * naming the cell. Run with {@code -Dmlops.notebook.write=true} to write a fresh run's outputs
 * into the notebook instead of comparing them.
 */
class NotebookTest {
  private static final Path NOTEBOOK = Path.of("notebooks", "quickstart.ipynb");
  private static final Pattern DRIFTED_ROW = Pattern.compile("<tr class=\"drift\"><td>([\\w.]+)</td>");
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  @TempDir Path dir;
  private static IvyResolution ivy;

  @BeforeAll
  static void resolution() {
    ivy = IvyResolution.ofThisBuild();
  }

  @AfterAll
  static void closeResolution() {
    ivy.close();
  }

  /** A runner as Jupyter started in examples/notebooks would run the notebook. */
  private static NotebookRunner runner() {
    return new NotebookRunner(ivy, NOTEBOOK.getParent());
  }

  @Test
  void theNotebookLoadsOneJarRunsEveryCellAndIsCommittedWithThoseOutputs() throws Exception {
    List<CellRun> runs;
    List<IvyResolution.Resolved> resolved;
    try (NotebookRunner runner = runner()) {
      runs = runner.run(NOTEBOOK);
      resolved = runner.resolved();
    }
    assertEquals(1, resolved.size(), resolved.toString());
    assertEquals("dev.mlops:mlops-all:" + System.getProperty("mlops.version"), resolved.get(0).coordinate());
    assertEquals(List.of(Path.of("..", "mlops-all", "target", "mlops.jar").toAbsolutePath().normalize()),
        resolved.get(0).classPath(), "the one line resolves exactly one jar");
    assertEquals(List.of(), resolved.get(0).dropped());

    for (CellRun run : runs) {
      assertTrue(!run.outputs().isEmpty(), "cell " + run.cell() + " shows something");
      for (Output o : run.outputs()) {
        assertTrue(!o.name().equals("stderr"), "cell " + run.cell() + " writes nothing to standard error: " + o.text());
        assertTrue(!UUID.matcher(o.text()).find(), "cell " + run.cell() + " shows no display id: " + o.text());
      }
    }
    List<Output> shown = runs.stream().flatMap(r -> r.outputs().stream()).filter(o -> o.type().equals("display_data")).toList();
    assertEquals(2, shown.size(), shown.toString());
    String comparison = shown.get(0).text();
    assertTrue(comparison.startsWith("<!DOCTYPE html>") && comparison.contains("<div class=\"mlops-run-comparison\">"),
        comparison);
    assertTrue(comparison.contains("\u2605"), "the best accuracy is marked: " + comparison);
    assertTrue(comparison.contains("logreg-lr0.05") && comparison.contains("logreg-lr0.5"), comparison);
    String report = shown.get(1).text();
    assertTrue(report.contains("Drift report"), report);
    Set<String> driftedRows = new TreeSet<>();
    Matcher m = DRIFTED_ROW.matcher(report);
    while (m.find()) {
      driftedRows.add(m.group(1));
    }
    assertEquals(Set.of("petal_length", "sepal_width"), driftedRows);
    assertEquals(new Output("execute_result", "text/plain", "[petal_length, sepal_width]"),
        runs.get(runs.size() - 2).outputs().get(0));

    JsonNode committed = CanonicalJson.parse(Files.readAllBytes(NOTEBOOK));
    ObjectNode fresh = NotebookRunner.withOutputs(committed, runs);
    if (Boolean.getBoolean("mlops.notebook.write")) {
      Files.writeString(NOTEBOOK, CanonicalJson.toPrettyString(fresh) + "\n", StandardCharsets.UTF_8);
      return;
    }
    for (int i = 0; i < committed.get("cells").size(); i++) {
      JsonNode was = committed.get("cells").get(i);
      JsonNode now = fresh.get("cells").get(i);
      assertEquals(stable(CanonicalJson.toString(now.path("outputs"))), stable(CanonicalJson.toString(was.path("outputs"))),
          "cell " + (i + 1) + " is committed with the outputs of a run; rerun with -Dmlops.notebook.write=true");
      assertEquals(now.get("execution_count"), was.get("execution_count"));
    }
  }

  /**
   * Outputs without what differs between two runs: run ids, digests that cover them, times, and
   * the notebook's temporary folder (a data source's path in the comparison's equal params).
   */
  private static String stable(String outputs) {
    return outputs
        .replaceAll("mlops-notebook\\d+", "mlops-notebook<n>")
        .replaceAll("sha256:[0-9a-f]{64}", "sha256:…")
        .replaceAll("\\b[0-9a-f]{32}\\b", "<run id>")
        .replaceAll(">[0-9a-f]{8}<", "><short run id><")
        .replaceAll("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z?", "<time>");
  }

  @Test
  void theDataIsFoundFromTheRepositoryExamplesAndNotebooksAndElsewhereTheMessageSaysWhatToSet() throws Exception {
    // the data cell after just the imports it needs: the notebook's first cell imports far more
    ObjectNode nb = notebook();
    ObjectNode imports = (ObjectNode) nb.get("cells").get(cellContaining("%maven") - 1).deepCopy();
    setSource(imports, "%maven dev.mlops:mlops-all:" + System.getProperty("mlops.version") + "\n"
        + "import dev.mlops.core.Frame;\nimport java.nio.file.*;\nimport java.util.*;\nimport java.util.stream.*;\n");
    ArrayNode cells = CanonicalJson.array();
    cells.add(imports).add(nb.get("cells").get(cellContaining("Path irisCsv") - 1));
    nb.set("cells", cells);
    Path dataOnly = write(nb);
    for (Path start : List.of(Path.of(".."), Path.of("."), Path.of("notebooks"))) {
      try (NotebookRunner runner = new NotebookRunner(ivy, start)) {
        List<CellRun> runs = runner.run(dataOnly);
        assertEquals(new Output("execute_result", "text/plain", "100 rows to train on, 50 held out"), runs.get(1).outputs().get(0),
            "started in " + start.toAbsolutePath().normalize());
      }
    }
    try (NotebookRunner runner = new NotebookRunner(ivy, dir)) {
      NotebookFailure f = assertThrows(NotebookFailure.class, () -> runner.run(dataOnly));
      assertTrue(f.getMessage().contains("no iris.csv found from " + dir.toAbsolutePath()), f.getMessage());
      assertTrue(f.getMessage().contains("set the environment variable MLOPS_IRIS_CSV"), f.getMessage());
    }
  }

  @Test
  void theModuleLinesOfEarlierVersionsFailInTheFirstCellAsIJavasIvyFails() throws Exception {
    int first = cellContaining("%maven");
    String version = System.getProperty("mlops.version");
    Path old = copyWith(first, s -> s.replace("%maven dev.mlops:mlops-all:" + version,
        "%maven dev.mlops:mlops-serving:" + version + "\n%maven org.tribuo:tribuo-classification-sgd:4.3.2"));
    try (NotebookRunner runner = runner()) {
      NotebookFailure f = assertThrows(NotebookFailure.class, () -> runner.run(old));
      assertTrue(f.getMessage().startsWith("cell " + first + ": %maven dev.mlops:mlops-serving:" + version
          + ": download failed: com.oracle.labs.olcut#olcut-core;5.3.1!olcut-core.jar(test-jar)"), f.getMessage());
    }
  }

  @Test
  void theNotebookIsAnNbformat4JavaNotebookWithAnOutputForEveryCodeCell() throws Exception {
    JsonNode nb = CanonicalJson.parse(Files.readAllBytes(NOTEBOOK));
    assertEquals(4, nb.get("nbformat").asInt());
    JsonNode kernel = nb.path("metadata").path("kernelspec");
    assertEquals("java", kernel.get("name").asText());
    assertEquals("java", kernel.get("language").asText());
    assertEquals("Java", kernel.get("display_name").asText());
    Set<String> ids = new TreeSet<>();
    int count = 0;
    for (JsonNode cell : nb.get("cells")) {
      assertTrue(cell.get("source").isArray() && cell.get("metadata").isObject(), cell.toString());
      assertTrue(ids.add(cell.get("id").asText()), "cell ids are unique: " + cell.get("id"));
      if ("code".equals(cell.get("cell_type").asText())) {
        count++;
        assertTrue(cell.get("outputs").isArray() && !cell.get("outputs").isEmpty(), "committed with outputs: " + cell);
        assertEquals(count, cell.get("execution_count").asInt());
      }
    }
  }

  @Test
  void aCellCallingAMethodThatDoesNotExistFailsNamingThatCell() throws Exception {
    int cell = cellContaining("Frame.readCsv(irisCsv)");
    Path broken = copyWith(cell, source -> source.replace("Frame.readCsv(irisCsv)", "Frame.readCsvFile(irisCsv)"));
    try (NotebookRunner runner = runner()) {
      NotebookFailure f = assertThrows(NotebookFailure.class, () -> runner.run(broken));
      assertTrue(f.getMessage().startsWith("cell " + cell + ": snippet rejected"), f.getMessage());
      assertTrue(f.getMessage().contains("readCsvFile"), f.getMessage());
    }
  }

  @Test
  void aCellThatThrowsFailsNamingThatCellAndTheException() throws Exception {
    int dataCell = cellContaining("Path work = Files.createTempDirectory");
    Path broken = copyWithCellAfter(dataCell, "ModelPackage.read(work.resolve(\"missing.mlpkg\"));\n");
    try (NotebookRunner runner = runner()) {
      NotebookFailure f = assertThrows(NotebookFailure.class, () -> runner.run(broken));
      assertTrue(f.getMessage().startsWith("cell " + (dataCell + 1) + ": snippet threw dev.mlops.core.NotFoundException"),
          f.getMessage());
      assertTrue(f.getMessage().contains("missing.mlpkg"), f.getMessage());
    }
  }

  /** The 1-based index (as the runner counts, markdown included) of the one code cell containing {@code text}. */
  private static int cellContaining(String text) throws Exception {
    JsonNode cells = CanonicalJson.parse(Files.readAllBytes(NOTEBOOK)).get("cells");
    int found = -1;
    for (int i = 0; i < cells.size(); i++) {
      if ("code".equals(cells.get(i).get("cell_type").asText()) && NotebookRunner.source(cells.get(i)).contains(text)) {
        assertEquals(-1, found, "more than one cell contains " + text);
        found = i + 1;
      }
    }
    assertTrue(found > 0, "no cell contains " + text);
    return found;
  }

  /** A copy of the notebook whose cell (1-based) has its source changed. */
  private Path copyWith(int cell, UnaryOperator<String> change) throws Exception {
    ObjectNode nb = notebook();
    ObjectNode target = (ObjectNode) nb.get("cells").get(cell - 1);
    String changed = change.apply(NotebookRunner.source(target));
    assertTrue(!changed.equals(NotebookRunner.source(target)), "the change must change the cell");
    setSource(target, changed);
    return write(nb);
  }

  /** A copy of the notebook with a new code cell after the cell (1-based). */
  private Path copyWithCellAfter(int cell, String source) throws Exception {
    ObjectNode nb = notebook();
    ObjectNode added = CanonicalJson.object();
    added.put("cell_type", "code").putNull("execution_count");
    added.putObject("metadata");
    added.putArray("outputs");
    setSource(added, source);
    ((ArrayNode) nb.get("cells")).insert(cell, added);
    return write(nb);
  }

  private static ObjectNode notebook() throws Exception {
    return (ObjectNode) CanonicalJson.parse(Files.readAllBytes(NOTEBOOK));
  }

  private static void setSource(ObjectNode cell, String source) {
    ArrayNode lines = cell.putArray("source");
    for (String line : source.split("(?<=\n)")) {
      lines.add(TextNode.valueOf(line));
    }
  }

  private Path write(ObjectNode nb) throws Exception {
    Path copy = dir.resolve("copy.ipynb");
    Files.write(copy, CanonicalJson.toBytes(nb));
    return copy;
  }
}
