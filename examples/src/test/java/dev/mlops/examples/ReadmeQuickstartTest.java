package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quickstart is compiled against the build, so it cannot drift from the API. */
class ReadmeQuickstartTest {
  private static final Pattern QUICKSTART =
      Pattern.compile("## Quickstart\\s+```java\\n(.*?)\\n```", Pattern.DOTALL);

  @TempDir Path classes;

  /** The README's code, inside a method whose parameters are the data it names. */
  private static String wrap(String snippet) {
    return String.join("\n",
        "package dev.mlops.examples;",
        "import dev.mlops.core.*;",
        "import dev.mlops.monitoring.*;",
        "import dev.mlops.packaging.*;",
        "import dev.mlops.serving.*;",
        "import dev.mlops.tracking.*;",
        "import java.nio.file.Path;",
        "import java.util.Map;",
        "import org.tribuo.*;",
        "import org.tribuo.classification.Label;",
        "import org.tribuo.classification.evaluation.*;",
        "class ReadmeQuickstart {",
        "  static Trainer<Label> trainer(double lr) { return Iris.trainer(lr, 1); }",
        "  static void run(Dataset<Label> train, Dataset<Label> test, Frame testFrame, Frame trainFrame,",
        "      Frame currentFrame) throws Exception {",
        snippet,
        "  }",
        "}");
  }

  @Test
  void readmeQuickstartCompiles() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    Matcher m = QUICKSTART.matcher(readme);
    assertTrue(m.find(), "README.md has no ```java block under '## Quickstart'");
    String source = wrap(m.group(1));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file =
        new SimpleJavaFileObject(URI.create("string:///dev/mlops/examples/ReadmeQuickstart.java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
    List<String> options =
        List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-proc:none");
    boolean ok = javac.getTask(new StringWriter(), null, diagnostics, options, null, List.of(file)).call();
    String errors = diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> "line " + (d.getLineNumber() - 15) + " of the snippet: " + d.getMessage(null))
        .collect(Collectors.joining("\n"));
    assertEquals("", errors, "the README's quickstart does not compile");
    assertTrue(ok);
    assertTrue(Files.exists(classes.resolve("dev/mlops/examples/ReadmeQuickstart.class")));
  }
}
