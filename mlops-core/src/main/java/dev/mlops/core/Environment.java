package dev.mlops.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.google.common.collect.ImmutableList;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a piece of work ran on, captured once per run or package: Java, operating system,
 * architecture, host, user, the git state of the working directory, and the Maven coordinates
 * ({@code group:artifact:version}) of the jars on the class path. Capturing never fails: what
 * cannot be found (no git, not a work tree, no host name) is left empty.
 *
 * <pre>{@code
 * Environment env = Environment.capture();
 * env.javaVersion();                 // "17.0.15"
 * env.gitState().map(GitState::commit);
 * env.dependencies();                // ["com.google.guava:guava:33.4.8-jre", ...]
 * }</pre>
 *
 * @param javaVersion {@code java.version}
 * @param javaVendor {@code java.vendor}
 * @param osName {@code os.name}
 * @param osVersion {@code os.version}
 * @param arch {@code os.arch}
 * @param host the local host name, or {@code unknown}; null in {@link #captureRuntime()}
 * @param user {@code user.name}; null in {@link #captureRuntime()}
 * @param git the git state, or null outside a git work tree and in {@link #captureRuntime()}
 * @param dependencies sorted Maven coordinates of the class path's jars
 */
public record Environment(
    String javaVersion,
    String javaVendor,
    String osName,
    String osVersion,
    String arch,
    String host,
    String user,
    GitState git,
    List<String> dependencies) {
  private static final Logger LOG = LoggerFactory.getLogger(Environment.class);
  private static final String POM_FILE = "/pom.properties";
  private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");

  public Environment {
    dependencies = dependencies == null ? List.of() : ImmutableList.copyOf(dependencies);
  }

  /** Captures the environment, with the git state of the current working directory. */
  public static Environment capture() {
    return capture(Path.of("").toAbsolutePath());
  }

  /**
   * Captures what a model package records: Java, operating system, architecture and the class
   * path's Maven coordinates, with no host, user or git state, so that the record does not
   * depend on who built the package or where; no git process is started and no host name
   * looked up.
   *
   * <pre>{@code
   * Environment env = Environment.captureRuntime();
   * env.host();                        // null
   * env.dependencies();                // ["com.google.guava:guava:33.4.8-jre", ...]
   * }</pre>
   */
  public static Environment captureRuntime() {
    return withRuntime(null, null, null, System.getProperty("java.class.path", ""));
  }

  /** Captures the environment, with the git state of {@code workDir}. */
  public static Environment capture(Path workDir) {
    return capture(workDir, "git", System.getProperty("java.class.path", ""));
  }

  /**
   * Captures the environment with an explicit git executable and class path; used to test the
   * cases of a machine without git and of an unusual class path.
   */
  static Environment capture(Path workDir, String gitExecutable, String classPath) {
    return withRuntime(
        hostName(), System.getProperty("user.name"), gitState(workDir, gitExecutable).orElse(null), classPath);
  }

  /** This JVM's Java, operating system and architecture, with the given rest. */
  private static Environment withRuntime(String host, String user, GitState git, String classPath) {
    return new Environment(
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"),
        host,
        user,
        git,
        mavenCoordinates(classPath));
  }

  /** The git state, when the working directory was inside a git work tree with a commit. */
  @JsonIgnore
  public Optional<GitState> gitState() {
    return Optional.ofNullable(git);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "unknown" : env;
    }
  }

  static Optional<GitState> gitState(Path dir, String git) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    Optional<String> inside = runGit(dir, git, "rev-parse", "--is-inside-work-tree");
    if (inside.isEmpty() || !inside.get().equals("true")) {
      return Optional.empty();
    }
    Optional<String> commit = runGit(dir, git, "rev-parse", "HEAD");
    if (commit.isEmpty()) {
      return Optional.empty();
    }
    String branch = runGit(dir, git, "rev-parse", "--abbrev-ref", "HEAD").orElse("HEAD");
    boolean dirty =
        runGit(dir, git, "status", "--porcelain", "--untracked-files=no").map(s -> !s.isEmpty()).orElse(false);
    return Optional.of(new GitState(commit.get(), branch, dirty));
  }

  private static Optional<String> runGit(Path dir, String git, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(git);
    cmd.add("-C");
    cmd.add(dir.toString());
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8).strip()) : Optional.empty();
    } catch (IOException e) {
      // git is not installed or cannot run: the environment simply has no git state.
      LOG.debug("git is not available: {}", e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  static List<String> mavenCoordinates(String classPath) {
    TreeSet<String> coordinates = new TreeSet<>();
    for (String entry : classPath.split(Pattern.quote(File.pathSeparator))) {
      if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
        continue;
      }
      try (ZipFile jar = new ZipFile(entry)) {
        Enumeration<? extends ZipEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          ZipEntry e = entries.nextElement();
          // A shaded jar has tens of thousands of entries; the cheap test spares most of them the pattern.
          String name = e.getName();
          if (name.endsWith(POM_FILE) && POM_PROPERTIES.matcher(name).matches()) {
            Properties props = new Properties();
            try (InputStream in = jar.getInputStream(e)) {
              props.load(in);
            }
            String g = props.getProperty("groupId");
            String a = props.getProperty("artifactId");
            String v = props.getProperty("version");
            if (g != null && a != null && v != null) {
              coordinates.add(g + ":" + a + ":" + v);
            }
          }
        }
      } catch (IOException e) {
        LOG.debug("skipping unreadable class-path entry {}: {}", entry, e.getMessage());
      }
    }
    return List.copyOf(coordinates);
  }
}
