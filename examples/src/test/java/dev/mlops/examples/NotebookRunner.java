package dev.mlops.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.CanonicalJson;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;

/**
 * Runs a Jupyter notebook the way the IJava 1.3.0 kernel does, so that a notebook that fails
 * there fails here:
 *
 * <ul>
 *   <li>the code runs in a JShell whose execution JVM starts with an empty class path; only what
 *       the notebook's {@code %maven} lines resolve ({@link IvyResolution}: Ivy's rules, jar-typed
 *       artifacts only) and its {@code %jars} lines name is added, as IJava adds it, so a class the
 *       build has but the notebook does not load is {@code cannot find symbol};
 *   <li>each code cell is split into snippets with {@link SourceCodeAnalysis#analyzeCompletion};
 *       the cell's result is the value of its last snippet when that is an expression, a
 *       variable's value or a method call's temporary (IJava's rule), shown as text;
 *   <li>{@code display(value, mimeTypes...)} shows the value under the first MIME type and
 *       returns a display id, a random UUID, as IJava's does: a cell that ends in a
 *       {@code display(...)} call shows that id;
 *   <li>standard output and standard error of the cell are its {@code stream} outputs.
 * </ul>
 *
 * <p>Any rejected snippet, thrown exception or failed {@code %maven} line is a failure naming
 * the cell (1-based among all cells, markdown included). The outputs of a run can be written into
 * the notebook in nbformat 4, as Jupyter saves them.
 */
final class NotebookRunner implements AutoCloseable {
  private static final Pattern MAVEN = Pattern.compile("%maven\\s+(\\S+)\\s*");
  private static final Pattern JARS = Pattern.compile("%jars\\s+(.+)");
  private static final Set<Snippet.SubKind> SHOWN = Set.of(
      Snippet.SubKind.VAR_VALUE_SUBKIND, Snippet.SubKind.OTHER_EXPRESSION_SUBKIND, Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
  private static final String DISPLAYS = "mlops.notebook.displays";

  // The kernel's runtime, as IJava declares it before the first cell. Values cross from the
  // execution JVM as Base64 text, so no escaping is involved.
  private static final List<String> RUNTIME = List.of(
      "java.util.List<String> mlopsDisplays() {"
          + " @SuppressWarnings(\"unchecked\") java.util.List<String> d = (java.util.List<String>) System.getProperties()"
          + ".computeIfAbsent(\"" + DISPLAYS + "\", k -> new java.util.ArrayList<String>()); return d; }",
      "String mlopsBase64(Object value) {"
          + " return java.util.Base64.getEncoder().encodeToString(String.valueOf(value).getBytes(java.nio.charset.StandardCharsets.UTF_8)); }",
      "String display(Object value, String... mimeTypes) {"
          + " mlopsDisplays().add(mlopsBase64(mimeTypes.length == 0 ? \"text/plain\" : mimeTypes[0]) + \":\" + mlopsBase64(value));"
          + " return java.util.UUID.randomUUID().toString(); }",
      "String mlopsTakeDisplays() { String all = String.join(\",\", mlopsDisplays()); mlopsDisplays().clear(); return all; }",
      "String mlopsText(Object value) { return value == null ? \"\" : \"=\" + mlopsBase64(value); }",
      "String mlopsPending = \"\";");
  // JShell cuts a value it sends back from the execution JVM at 21,844 characters.
  private static final int VALUE_PART = 20_000;

  /** What went wrong in a notebook. */
  static final class NotebookFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    NotebookFailure(String message) {
      super(message);
    }
  }

  /**
   * One output of a cell, as nbformat stores it.
   *
   * @param type {@code stream}, {@code display_data} or {@code execute_result}
   * @param name for a stream, {@code stdout} or {@code stderr}; else the MIME type
   * @param text the text shown
   */
  record Output(String type, String name, String text) {}

  /**
   * What one code cell gave.
   *
   * @param cell the cell's 1-based index among all cells
   * @param executionCount the cell's number among code cells, as Jupyter counts them
   * @param outputs its outputs, in order
   */
  record CellRun(int cell, int executionCount, List<Output> outputs) {}

  private final IvyResolution resolution;
  private final Path workingDirectory;
  private final Path emptyClassPath;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<IvyResolution.Resolved> resolved = new ArrayList<>();
  private final Map<String, Object> magics = new HashMap<>();
  private JShell shell;

  /**
   * @param resolution how {@code %maven} lines resolve
   * @param workingDirectory the folder Jupyter was started in: the notebook's relative paths
   *     resolve against it
   */
  NotebookRunner(IvyResolution resolution, Path workingDirectory) {
    this.resolution = resolution;
    this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    try {
      this.emptyClassPath = Files.createTempDirectory("notebook-class-path");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the kernel. JShell compiles against the host's class path unless told otherwise, and
   * a class path given to its compiler hides what is added later; so the compiler gets every jar
   * the notebook's magic lines name, resolved before the first cell, while the execution JVM
   * receives each line's jars only when its cell runs, as IJava's class loader does.
   */
  private void start(List<String> compileClassPath) {
    List<String> entries = new ArrayList<>(compileClassPath);
    entries.add(emptyClassPath.toString());
    this.shell = JShell.builder()
        .out(new PrintStream(out, true, StandardCharsets.UTF_8))
        .err(new PrintStream(err, true, StandardCharsets.UTF_8))
        .compilerOptions("--class-path", String.join(File.pathSeparator, entries))
        .remoteVMOptions("-cp", emptyClassPath.toString(), "-Duser.dir=" + workingDirectory,
            "-Xmx1g", "-Duser.language=en", "-Duser.timezone=UTC")
        .build();
    for (String declaration : RUNTIME) {
      eval("the kernel's runtime", declaration);
    }
  }

  /** Runs every code cell of the notebook, in order, and returns what each gave. */
  List<CellRun> run(Path notebook) throws IOException {
    JsonNode nb = CanonicalJson.parse(Files.readAllBytes(notebook));
    JsonNode cells = nb.get("cells");
    if (cells == null || !cells.isArray()) {
      throw new NotebookFailure(notebook + " has no cells array; is it a Jupyter notebook?");
    }
    String language = nb.path("metadata").path("kernelspec").path("language").asText("");
    if (!language.equals("java")) {
      throw new NotebookFailure(notebook + " declares kernel language '" + language + "', not java");
    }
    if (shell != null) {
      throw new IllegalStateException("a runner runs one notebook");
    }
    start(prepareMagics(cells));
    List<CellRun> runs = new ArrayList<>();
    int index = 0;
    for (JsonNode cell : cells) {
      index++;
      if ("code".equals(cell.path("cell_type").asText())) {
        runs.add(new CellRun(index, runs.size() + 1, runCell(index, source(cell))));
      }
    }
    return runs;
  }

  /** What the notebook's {@code %maven} lines resolved, in order. */
  List<IvyResolution.Resolved> resolved() {
    return List.copyOf(resolved);
  }

  /** The notebook with these outputs and execution counts in its code cells, as Jupyter saves it. */
  static ObjectNode withOutputs(JsonNode notebook, List<CellRun> runs) {
    ObjectNode nb = notebook.deepCopy();
    ArrayNode cells = (ArrayNode) nb.get("cells");
    for (CellRun run : runs) {
      ObjectNode cell = (ObjectNode) cells.get(run.cell() - 1);
      cell.put("execution_count", run.executionCount());
      ArrayNode outputs = cell.putArray("outputs");
      for (Output o : run.outputs()) {
        ObjectNode node = outputs.addObject();
        node.put("output_type", o.type());
        switch (o.type()) {
          case "stream" -> {
            node.put("name", o.name());
            node.set("text", lines(o.text()));
          }
          case "execute_result" -> {
            node.put("execution_count", run.executionCount());
            node.putObject("data").set(o.name(), lines(o.text()));
            node.putObject("metadata");
          }
          default -> {
            node.putObject("data").set(o.name(), lines(o.text()));
            node.putObject("metadata");
          }
        }
      }
    }
    return nb;
  }

  /** A cell's source, joined from nbformat's list of lines. */
  static String source(JsonNode cell) {
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

  /** Text as nbformat's list of lines, each but the last ending in a newline. */
  static ArrayNode lines(String text) {
    ArrayNode lines = CanonicalJson.array();
    for (String line : text.split("(?<=\n)")) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    return lines;
  }

  private List<Output> runCell(int cellIndex, String source) {
    List<Output> outputs = new ArrayList<>();
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
    Output result = null;
    while (true) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
        break;
      }
      if (!info.completeness().isComplete()) {
        throw new NotebookFailure(
            "cell " + cellIndex + ": incomplete or unparseable code (" + info.completeness() + "):\n" + remaining.strip());
      }
      SnippetEvent last = eval("cell " + cellIndex, info.source());
      result = result(last);
      collectStreams(outputs);
      for (String shown : takeDisplays()) {
        String[] parts = shown.split(":", 2);
        outputs.add(new Output("display_data", decode(parts[0]), decode(parts[1])));
      }
      remaining = info.remaining();
    }
    collectStreams(outputs);
    if (result != null) {
      outputs.add(result);
    }
    return List.copyOf(outputs);
  }

  /** IJava's rule: the last snippet's value is shown when it is an expression, a variable's value or a temporary. */
  private Output result(SnippetEvent event) {
    if (event == null || event.value() == null || !SHOWN.contains(event.snippet().subKind())) {
      return null;
    }
    String name = event.snippet() instanceof VarSnippet v ? v.name()
        : event.snippet() instanceof ExpressionSnippet e ? e.name() : null;
    if (name == null) {
      return new Output("execute_result", "text/plain", event.value());
    }
    String text = runtimeText("mlopsText(" + name + ")");
    return text.isEmpty() ? null : new Output("execute_result", "text/plain", decode(text.substring(1)));
  }

  private List<String> takeDisplays() {
    String all = runtimeText("mlopsTakeDisplays()");
    return all.isEmpty() ? List.of() : List.of(all.split(","));
  }

  /** The text a runtime call returns, fetched in parts small enough to cross whole. */
  private String runtimeText(String call) {
    eval("the kernel's runtime", "mlopsPending = " + call);
    int length = Integer.parseInt(eval("the kernel's runtime", "mlopsPending.length()").value());
    StringBuilder text = new StringBuilder(length);
    for (int from = 0; from < length; from += VALUE_PART) {
      int to = Math.min(length, from + VALUE_PART);
      text.append(unquote(eval("the kernel's runtime", "mlopsPending.substring(" + from + ", " + to + ")").value()));
    }
    return text.toString();
  }

  private void collectStreams(List<Output> outputs) {
    String stdout = drain(out);
    if (!stdout.isEmpty()) {
      outputs.add(new Output("stream", "stdout", stdout));
    }
    String stderr = drain(err);
    if (!stderr.isEmpty()) {
      outputs.add(new Output("stream", "stderr", stderr));
    }
  }

  private static String drain(ByteArrayOutputStream stream) {
    synchronized (stream) {
      String text = stream.toString(StandardCharsets.UTF_8);
      stream.reset();
      return text;
    }
  }

  private static String unquote(String javaStringLiteral) {
    return javaStringLiteral.substring(1, javaStringLiteral.length() - 1);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /**
   * Resolves every magic line of the notebook before it runs and returns the compiler's class
   * path; what a line resolves to, or why it fails, waits for its cell.
   */
  private List<String> prepareMagics(JsonNode cells) {
    Set<String> classPath = new LinkedHashSet<>();
    for (JsonNode cell : cells) {
      if (!"code".equals(cell.path("cell_type").asText())) {
        continue;
      }
      for (String line : source(cell).split("\n")) {
        String magic = line.strip();
        if (!magic.startsWith("%") || magics.containsKey(magic)) {
          continue;
        }
        Object prepared = prepare(magic);
        magics.put(magic, prepared);
        if (prepared instanceof IvyResolution.Resolved r) {
          r.classPath().forEach(p -> classPath.add(p.toString()));
        } else if (prepared instanceof List<?> jars) {
          jars.forEach(j -> classPath.add(j.toString()));
        }
      }
    }
    return List.copyOf(classPath);
  }

  /** A %maven line's resolution, a %jars line's files, or the message of why the line fails. */
  private Object prepare(String line) {
    Matcher maven = MAVEN.matcher(line);
    if (maven.matches()) {
      try {
        return resolution.resolve(maven.group(1));
      } catch (IvyResolution.Failure e) {
        return e.getMessage();
      }
    }
    Matcher jars = JARS.matcher(line);
    if (jars.matches()) {
      List<String> files = List.of(jars.group(1).strip().split("\\s+"));
      for (String jar : files) {
        if (!Files.exists(Path.of(jar))) {
          return "no file '" + jar + "'";
        }
      }
      return files;
    }
    return "unsupported magic";
  }

  private void magic(int cellIndex, String line) {
    Object prepared = magics.get(line);
    if (prepared instanceof IvyResolution.Resolved r) {
      resolved.add(r);
      r.classPath().forEach(jar -> shell.addToClasspath(jar.toString()));
    } else if (prepared instanceof List<?> jars) {
      jars.forEach(jar -> shell.addToClasspath(jar.toString()));
    } else {
      throw new NotebookFailure("cell " + cellIndex + ": " + line + ": " + prepared);
    }
  }

  /** Evaluates one snippet; returns the event of the snippet itself. */
  private SnippetEvent eval(String where, String snippet) {
    SnippetEvent own = null;
    for (SnippetEvent e : shell.eval(snippet)) {
      if (e.causeSnippet() != null) {
        continue;
      }
      own = e;
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
    return own;
  }

  @Override
  public void close() {
    if (shell != null) {
      shell.close();
    }
    try {
      Files.deleteIfExists(emptyClassPath);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
