package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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

/**
 * The README's quickstart compiles as written, alone: it is a whole source file, every variable
 * defined in it; and the README's Maven snippet lists every module it imports, each managed by
 * the BOM with the build's versions.
 */
class ReadmeQuickstartTest {
  private static final Pattern QUICKSTART = Pattern.compile("## Quickstart\\n.*?```java\\n(.*?)\\n```", Pattern.DOTALL);
  private static final Pattern MAVEN = Pattern.compile("## Using it from Maven\\n.*?```xml\\n(.*?)\\n```", Pattern.DOTALL);
  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency><groupId>([\\w.]+)</groupId><artifactId>([\\w.-]+)</artifactId></dependency>");
  private static final Pattern MANAGED =
      Pattern.compile("<dependency><groupId>([\\w.]+)</groupId><artifactId>([\\w.-]+)</artifactId><version>([^<]+)</version></dependency>");
  private static final Pattern OUR_IMPORT = Pattern.compile("import dev\\.mlops\\.(\\w+)\\.");

  @TempDir Path classes;

  private static String readme() throws Exception {
    return Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
  }

  private static String block(Pattern pattern, String what) throws Exception {
    Matcher m = pattern.matcher(readme());
    assertTrue(m.find(), "README.md has no " + what);
    return m.group(1);
  }

  @Test
  void theQuickstartCompilesAloneAsWritten() throws Exception {
    String source = block(QUICKSTART, "```java block under '## Quickstart'");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Quickstart.java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-proc:none");
    boolean ok = javac.getTask(new StringWriter(), null, diagnostics, options, null, List.of(file)).call();
    String errors = diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> "line " + d.getLineNumber() + " of the quickstart: " + d.getMessage(null))
        .collect(Collectors.joining("\n"));
    assertEquals("", errors, "the README's quickstart does not compile");
    assertTrue(ok);
    assertTrue(Files.exists(classes.resolve("Quickstart.class")));
  }

  @Test
  void theMavenSnippetListsEveryModuleTheQuickstartImportsAndATribuoTrainer() throws Exception {
    String quickstart = block(QUICKSTART, "quickstart");
    Set<String> listed = new TreeSet<>();
    Matcher d = DEPENDENCY.matcher(block(MAVEN, "```xml block under '## Using it from Maven'"));
    while (d.find()) {
      listed.add(d.group(1) + ":" + d.group(2));
    }
    Matcher imported = OUR_IMPORT.matcher(quickstart);
    while (imported.find()) {
      assertTrue(listed.contains("dev.mlops:mlops-" + imported.group(1)), "the snippet lists mlops-" + imported.group(1) + ": " + listed);
    }
    assertTrue(quickstart.contains("import org.tribuo.classification.sgd.") && listed.contains("org.tribuo:tribuo-classification-sgd"),
        listed.toString());
    assertTrue(!quickstart.contains("import org.tribuo.data.") || listed.contains("org.tribuo:tribuo-data"), listed.toString());
  }

  @Test
  void theBomManagesEveryListedArtifactWithTheBuildsVersions() throws Exception {
    String bom = Files.readString(Path.of("..", "mlops-bom", "pom.xml"), StandardCharsets.UTF_8);
    Matcher tribuoVersion = Pattern.compile("<tribuo.version>([^<]+)</tribuo.version>").matcher(bom);
    assertTrue(tribuoVersion.find());
    assertEquals(System.getProperty("tribuo.version"), tribuoVersion.group(1), "the BOM's Tribuo version is the build's");
    Set<String> managed = new TreeSet<>();
    Matcher m = MANAGED.matcher(bom);
    while (m.find()) {
      managed.add(m.group(1) + ":" + m.group(2));
      assertTrue(m.group(3).equals(m.group(1).equals("dev.mlops") ? "${project.version}" : "${tribuo.version}"), m.group());
    }
    Matcher d = DEPENDENCY.matcher(block(MAVEN, "Maven snippet"));
    while (d.find()) {
      assertTrue(managed.contains(d.group(1) + ":" + d.group(2)), d.group(2) + " is managed by the BOM: " + managed);
    }
  }
}
