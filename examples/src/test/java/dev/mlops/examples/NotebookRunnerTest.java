package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner itself: it must pass good notebooks and catch every kind of broken cell. */
class NotebookRunnerTest {
  @TempDir Path dir;

  private Path notebook(String... cells) throws Exception {
    ObjectNode nb = CanonicalJson.object();
    nb.putObject("metadata").putObject("kernelspec").put("language", "java").put("name", "java");
    ArrayNode array = nb.putArray("cells");
    array.addObject().put("cell_type", "markdown").put("source", "# title\n");
    for (String c : cells) {
      ArrayNode lines = array.addObject().put("cell_type", "code").putArray("source");
      for (String l : c.split("(?<=\n)")) {
        lines.add(l);
      }
    }
    Path p = dir.resolve("nb.ipynb");
    Files.write(p, CanonicalJson.toBytes(nb));
    return p;
  }

  private static NotebookRunner runner() {
    return new NotebookRunner(Map.of("dev.mlops:*", "1.0", "org.tribuo:tribuo-core", "4.3.2"));
  }

  @Test
  void runsCellsSplitIntoSnippetsAndRecordsDisplays() throws Exception {
    Path nb = notebook(
        "%maven dev.mlops:mlops-core:1.0\nimport java.util.*;\nint x = 2;\nint y = x * 3\n",
        "String html = \"<b>\" + y + \"</b>\";\ndisplay(html, \"text/html\");\n",
        "void twice() {\n  display(y);\n  display(y);\n}\ntwice();");
    try (NotebookRunner r = runner()) {
      r.run(nb);
      assertEquals(List.of("<b>6</b>", 6, 6), r.displayed());
      assertEquals(List.of("dev.mlops:mlops-core:1.0"), r.checkedCoordinates());
    }
  }

  @Test
  void aCompileErrorFailsNamingTheCell() throws Exception {
    Path nb = notebook("int a = 1;", "int b = a +;");
    try (NotebookRunner r = runner()) {
      NotebookRunner.NotebookFailure f = assertThrows(NotebookRunner.NotebookFailure.class, () -> r.run(nb));
      assertTrue(f.getMessage().contains("cell 3"), f.getMessage());
    }
  }

  @Test
  void anUnknownSymbolIsRejected() throws Exception {
    Path nb = notebook("int a = undefinedThing.size();");
    try (NotebookRunner r = runner()) {
      NotebookRunner.NotebookFailure f = assertThrows(NotebookRunner.NotebookFailure.class, () -> r.run(nb));
      assertTrue(f.getMessage().contains("rejected"), f.getMessage());
    }
  }

  @Test
  void anExceptionFailsWithItsType() throws Exception {
    Path nb = notebook("Object o = java.util.List.of().get(0);");
    try (NotebookRunner r = runner()) {
      NotebookRunner.NotebookFailure f = assertThrows(NotebookRunner.NotebookFailure.class, () -> r.run(nb));
      assertTrue(f.getMessage().contains("IndexOutOfBoundsException"), f.getMessage());
    }
  }

  @Test
  void aMavenVersionOtherThanTheBuildsFails() throws Exception {
    Path nb = notebook("%maven org.tribuo:tribuo-core:4.2.0\nint a = 1;");
    try (NotebookRunner r = runner()) {
      NotebookRunner.NotebookFailure f = assertThrows(NotebookRunner.NotebookFailure.class, () -> r.run(nb));
      assertTrue(f.getMessage().contains("4.3.2"), f.getMessage());
    }
  }

  @Test
  void anUnfinishedBlockFails() throws Exception {
    Path nb = notebook("void f() {\n  int a = 1;\n");
    try (NotebookRunner r = runner()) {
      NotebookRunner.NotebookFailure f = assertThrows(NotebookRunner.NotebookFailure.class, () -> r.run(nb));
      assertTrue(f.getMessage().contains("incomplete"), f.getMessage());
    }
  }
}
