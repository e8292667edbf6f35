package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {
  @TempDir Path dir;

  private static void git(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=t", "-c", "user.email=t@example.org"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor(), "git " + String.join(" ", args));
  }

  private static boolean gitInstalled() {
    try {
      return new ProcessBuilder("git", "--version").start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void insideAGitWorkTreeRecordsCommitBranchAndDirtiness() throws Exception {
    Assumptions.assumeTrue(gitInstalled(), "git is not installed; the git case cannot be exercised here");
    git(dir, "init", "-q", "-b", "trunk");
    Files.writeString(dir.resolve("a.txt"), "1");
    git(dir, "add", "a.txt");
    git(dir, "commit", "-q", "-m", "first");
    Environment clean = Environment.capture(dir);
    GitState g = clean.gitState().orElseThrow();
    assertEquals(40, g.commit().length());
    assertEquals("trunk", g.branch());
    assertFalse(g.dirty());
    Files.writeString(dir.resolve("a.txt"), "2");
    assertTrue(Environment.capture(dir).gitState().orElseThrow().dirty());
  }

  @Test
  void outsideAWorkTreeHasNoGitState() {
    assertTrue(Environment.capture(dir).gitState().isEmpty());
  }

  @Test
  void withoutGitInstalledCaptureStillWorks() {
    Environment env = Environment.capture(dir, "/nonexistent/bin/git-missing", "");
    assertTrue(env.gitState().isEmpty());
    assertNotNull(env.javaVersion());
    assertNotNull(env.host());
    assertEquals(List.of(), env.dependencies());
  }

  @Test
  void readsMavenCoordinatesOfClassPathJars() {
    Environment env = Environment.capture(dir);
    assertTrue(env.dependencies().stream().anyMatch(d -> d.startsWith("com.google.guava:guava:")), env.dependencies().toString());
    assertEquals(env.dependencies().stream().sorted().toList(), env.dependencies());
  }

  @Test
  void theRuntimeAloneHasNoHostUserOrGitButTheSameJavaAndDependencies() {
    Environment full = Environment.capture();
    Environment runtime = Environment.captureRuntime();
    assertNull(runtime.host());
    assertNull(runtime.user());
    assertTrue(runtime.gitState().isEmpty());
    assertEquals(full.javaVersion(), runtime.javaVersion());
    assertEquals(full.arch(), runtime.arch());
    assertEquals(full.dependencies(), runtime.dependencies());
    assertTrue(runtime.dependencies().stream().anyMatch(d -> d.startsWith("com.google.guava:guava:")), runtime.dependencies().toString());
  }

  @Test
  void jsonRoundTrip() {
    Environment env = Environment.capture(dir);
    assertEquals(env, CanonicalJson.convert(CanonicalJson.parse(CanonicalJson.toBytes(env)), Environment.class));
  }
}
