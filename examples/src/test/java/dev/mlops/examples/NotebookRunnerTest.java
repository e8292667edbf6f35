package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.examples.NotebookRunner.CellRun;
import dev.mlops.examples.NotebookRunner.NotebookFailure;
import dev.mlops.examples.NotebookRunner.Output;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner itself: it shows what IJava shows, resolves {@code %maven} lines as IJava's Ivy does
 * (jar-typed artifacts only, a POM's duplicate dependency fails) and catches every kind of broken
 * cell, naming it.
 */
class NotebookRunnerTest {
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

  private List<CellRun> run(Path nb) throws Exception {
    try (NotebookRunner r = new NotebookRunner(ivy, dir)) {
      return r.run(nb);
    }
  }

  private NotebookFailure failure(Path nb) {
    try (NotebookRunner r = new NotebookRunner(ivy, dir)) {
      return assertThrows(NotebookFailure.class, () -> r.run(nb));
    }
  }

  @Test
  void showsWhatIJavaShowsTheLastValueDisplaysAndPrintedText() throws Exception {
    List<CellRun> runs = run(notebook(
        "import java.util.*;\nint x = 2;\nint y = x * 3\n",
        "String html = \"<b>\" + y + \"</b>\";\ndisplay(html, \"text/html\");\nvoid twice() {\n  display(y);\n}\ntwice();\n",
        "System.out.println(\"printed\");\ny * 7",
        "String.join(\"\\n\", \"two\", \"lines\")"));
    assertEquals(4, runs.size());
    assertEquals(List.of(), runs.get(0).outputs(), "a declaration shows nothing");
    assertEquals(List.of(new Output("display_data", "text/html", "<b>6</b>"), new Output("display_data", "text/plain", "6")),
        runs.get(1).outputs(), "a cell ending in a void call shows its displays only");
    assertEquals(List.of(new Output("stream", "stdout", "printed\n"), new Output("execute_result", "text/plain", "42")),
        runs.get(2).outputs());
    assertEquals(List.of(new Output("execute_result", "text/plain", "two\nlines")), runs.get(3).outputs());
    assertEquals(List.of(2, 3, 4, 5), runs.stream().map(CellRun::cell).toList());
    assertEquals(List.of(1, 2, 3, 4), runs.stream().map(CellRun::executionCount).toList());
  }

  @Test
  void aCellEndingInADisplayCallShowsTheDisplayIdAsIJavaDoes() throws Exception {
    List<Output> outputs = run(notebook("display(\"<p>x</p>\", \"text/html\")")).get(0).outputs();
    assertEquals(2, outputs.size(), outputs.toString());
    assertEquals(new Output("display_data", "text/html", "<p>x</p>"), outputs.get(0));
    assertTrue(outputs.get(1).text().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), outputs.toString());
  }

  @Test
  void aClassOfTheBuildIsNotThereUntilTheNotebookLoadsIt() throws Exception {
    NotebookFailure f = failure(notebook("org.apache.commons.codec.digest.DigestUtils.sha256Hex(\"a\")"));
    assertTrue(f.getMessage().startsWith("cell 2: snippet rejected: package org.apache.commons.codec.digest does not exist"),
        f.getMessage());
  }

  @Test
  void aJarTypedArtifactReachesTheClassPath() throws Exception {
    List<CellRun> runs = run(notebook(
        "%maven commons-codec:commons-codec:1.19.0\norg.apache.commons.codec.digest.DigestUtils.sha256Hex(\"a\")"));
    assertEquals(List.of(new Output("execute_result", "text/plain",
        "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb")), runs.get(0).outputs());
  }

  @Test
  void aBundleTypedArtifactIsResolvedButLeftOffTheClassPathAsIJavaDoes() throws Exception {
    Path nb = notebook("%maven com.google.guava:guava:33.4.8-jre\ncom.google.common.collect.ImmutableList.of(1)");
    try (NotebookRunner r = new NotebookRunner(ivy, dir)) {
      NotebookFailure f = assertThrows(NotebookFailure.class, () -> r.run(nb));
      assertTrue(f.getMessage().startsWith("cell 2: snippet rejected: package com.google.common.collect does not exist"),
          f.getMessage());
      IvyResolution.Resolved guava = r.resolved().get(0);
      assertTrue(guava.dropped().contains("com.google.guava:guava:jar:33.4.8-jre (type bundle)"), guava.toString());
      assertTrue(guava.classPath().stream().noneMatch(p -> p.getFileName().toString().startsWith("guava-")), guava.toString());
    }
  }

  @Test
  void aPomDeclaringAModuleTwiceFailsWithIvysDownloadFailure() throws Exception {
    NotebookFailure f = failure(notebook("%maven com.oracle.labs.olcut:olcut-config-json:5.3.1\nint a = 1;"));
    assertTrue(f.getMessage().startsWith("cell 2: %maven com.oracle.labs.olcut:olcut-config-json:5.3.1: download failed: "
        + "com.oracle.labs.olcut#olcut-core;5.3.1!olcut-core.jar(test-jar)"), f.getMessage());
  }

  @Test
  void aVersionThatIsNotPublishedFailsNamingIt() throws Exception {
    NotebookFailure f = failure(notebook("int a = 1;", "%maven dev.mlops:mlops-all:0.0.0-none\nint b = 2;"));
    assertTrue(f.getMessage().startsWith("cell 3: %maven dev.mlops:mlops-all:0.0.0-none: unresolved dependency: "
        + "dev.mlops#mlops-all;0.0.0-none"), f.getMessage());
  }

  @Test
  void aCompileErrorFailsNamingTheCell() throws Exception {
    NotebookFailure f = failure(notebook("int a = 1;", "int b = a +;"));
    assertTrue(f.getMessage().startsWith("cell 3: "), f.getMessage());
  }

  @Test
  void anExceptionFailsWithItsType() throws Exception {
    NotebookFailure f = failure(notebook("int n = Integer.parseInt(\"x\");"));
    assertTrue(f.getMessage().startsWith("cell 2: snippet threw java.lang.NumberFormatException: For input string: \"x\""),
        f.getMessage());
  }

  @Test
  void anUnfinishedBlockFails() throws Exception {
    NotebookFailure f = failure(notebook("void f() {\n  int a = 1;\n"));
    assertTrue(f.getMessage().startsWith("cell 2: incomplete"), f.getMessage());
  }

  @Test
  void outputsAreWrittenAsNbformatStoresThem() throws Exception {
    Path nb = notebook("display(\"<b>x</b>\", \"text/html\");\n\"a\\nb\"");
    List<CellRun> runs = run(nb);
    ObjectNode written = NotebookRunner.withOutputs(CanonicalJson.parse(Files.readAllBytes(nb)), runs);
    var cell = written.get("cells").get(1);
    assertEquals(1, cell.get("execution_count").asInt());
    assertEquals(CanonicalJson.parse("[{\"output_type\":\"display_data\",\"data\":{\"text/html\":[\"<b>x</b>\"]},\"metadata\":{}},"
        + "{\"output_type\":\"execute_result\",\"execution_count\":1,\"data\":{\"text/plain\":[\"a\\n\",\"b\"]},\"metadata\":{}}]"),
        cell.get("outputs"));
  }
}
