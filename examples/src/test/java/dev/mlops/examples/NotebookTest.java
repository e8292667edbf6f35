package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mlops.core.CanonicalJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart notebook runs cell by cell as IJava would run it, and a broken copy fails naming the cell. */
class NotebookTest {
  private static final Path NOTEBOOK = Path.of("notebooks", "quickstart.ipynb");
  private static final Pattern DRIFTED_ROW = Pattern.compile("<tr class=\"drift\"><td>([\\w.]+)</td>");

  @TempDir Path dir;

  private static NotebookRunner runner() {
    String mlops = System.getProperty("mlops.version");
    String tribuo = System.getProperty("tribuo.version");
    assertTrue(mlops != null && tribuo != null, "the build passes mlops.version and tribuo.version to the tests");
    return new NotebookRunner(Map.of("dev.mlops:*", mlops, "org.tribuo:*", tribuo));
  }

  @Test
  void theNotebookRunsAndShowsTheComparisonTheReportAndTheDriftedColumns() throws Exception {
    try (NotebookRunner runner = runner()) {
      runner.run(NOTEBOOK);

      assertEquals(List.of("dev.mlops:mlops-serving:" + System.getProperty("mlops.version"),
          "org.tribuo:tribuo-classification-sgd:" + System.getProperty("tribuo.version")), runner.checkedCoordinates());
      List<Object> shown = runner.displayed();
      assertEquals(3, shown.size(), shown.toString());

      String comparison = (String) shown.get(0);
      assertTrue(comparison.startsWith("<table class=\"mlops-run-comparison\""), comparison);
      assertTrue(comparison.contains("logreg-lr0.05") && comparison.contains("logreg-lr0.5"), comparison);
      assertTrue(comparison.contains("metrics.test_accuracy"), comparison);

      String report = (String) shown.get(1);
      assertTrue(report.contains("Drift report"), report);
      Set<String> driftedRows = new TreeSet<>();
      Matcher m = DRIFTED_ROW.matcher(report);
      while (m.find()) {
        driftedRows.add(m.group(1));
      }
      assertEquals(Set.of("petal_length", "sepal_width"), driftedRows);

      assertEquals(List.of("petal_length", "sepal_width"), shown.get(2));
    }
  }

  @Test
  void theNotebookIsAnNbformat4JavaNotebook() throws Exception {
    JsonNode nb = CanonicalJson.parse(Files.readAllBytes(NOTEBOOK));
    assertEquals(4, nb.get("nbformat").asInt());
    JsonNode kernel = nb.path("metadata").path("kernelspec");
    assertEquals("java", kernel.get("name").asText());
    assertEquals("java", kernel.get("language").asText());
    assertEquals("Java", kernel.get("display_name").asText());
    Set<String> ids = new TreeSet<>();
    for (JsonNode cell : nb.get("cells")) {
      assertTrue(cell.get("source").isArray() && cell.get("metadata").isObject(), cell.toString());
      assertTrue(ids.add(cell.get("id").asText()), "cell ids are unique: " + cell.get("id"));
      if ("code".equals(cell.get("cell_type").asText())) {
        assertTrue(cell.get("outputs").isArray() && cell.get("outputs").isEmpty(), "committed without outputs");
        assertTrue(cell.get("execution_count").isNull());
      }
    }
  }

  @Test
  void aCellCallingAMethodThatDoesNotExistFailsNamingThatCell() throws Exception {
    int cell = cellContaining("run.logTribuo(model, evaluation)");
    Path broken = copyWith(cell, source -> source.replace("run.logTribuo(model, evaluation)", "run.logTribuoModel(model, evaluation)"));
    try (NotebookRunner runner = runner()) {
      NotebookRunner.NotebookFailure f = assertThrows(NotebookRunner.NotebookFailure.class, () -> runner.run(broken));
      assertTrue(f.getMessage().startsWith("cell " + cell + ": snippet rejected"), f.getMessage());
      assertTrue(f.getMessage().contains("logTribuoModel"), f.getMessage());
      assertEquals(List.of(), runner.displayed());
    }
  }

  @Test
  void aCellThatThrowsFailsNamingThatCellAndTheException() throws Exception {
    int dataCell = cellContaining("Path work = Files.createTempDirectory");
    Path broken = copyWithCellAfter(dataCell, "ModelPackage.read(work.resolve(\"missing.mlpkg\"));\n");
    try (NotebookRunner runner = runner()) {
      NotebookRunner.NotebookFailure f = assertThrows(NotebookRunner.NotebookFailure.class, () -> runner.run(broken));
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
      if ("code".equals(cells.get(i).get("cell_type").asText()) && source(cells.get(i)).contains(text)) {
        assertEquals(-1, found, "more than one cell contains " + text);
        found = i + 1;
      }
    }
    assertTrue(found > 0, "no cell contains " + text);
    return found;
  }

  private static String source(JsonNode cell) {
    StringBuilder b = new StringBuilder();
    cell.get("source").forEach(line -> b.append(line.asText()));
    return b.toString();
  }

  /** A copy of the notebook whose cell (1-based) has its source changed. */
  private Path copyWith(int cell, UnaryOperator<String> change) throws Exception {
    ObjectNode nb = notebook();
    ObjectNode target = (ObjectNode) nb.get("cells").get(cell - 1);
    String changed = change.apply(source(target));
    assertTrue(!changed.equals(source(target)), "the change must change the cell");
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
    Path copy = dir.resolve("broken.ipynb");
    Files.write(copy, CanonicalJson.toBytes(nb));
    return copy;
  }
}
