package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the tests in a JVM of its own, for what one JVM cannot show: a small heap, another time zone or folder. */
final class ChildJvm {
  /** What the child printed, and how it ended. */
  record Result(int exitCode, String out, String err) {}

  private static final long TIMEOUT_SECONDS = 120;

  private ChildJvm() {}

  /**
   * Runs {@code main} with these JVM options in {@code workDir}, the environment changed by {@code
   * env} (a null value removes a variable), and waits for it to end.
   */
  static Result run(Path workDir, List<String> jvmOptions, Map<String, String> env, Class<?> main, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("child-out", ".txt");
    Path err = Files.createTempFile("child-err", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      env.forEach((k, v) -> {
        if (v == null) {
          builder.environment().remove(k);
        } else {
          builder.environment().put(k, v);
        }
      });
      Process p = builder.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(main.getSimpleName() + " did not end within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
