package dev.mlops.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Java deserialization inside a loading scope is limited to the allow-list; outside it is untouched. */
class SerialFilterScopeTest {
  @Test
  void theScopeFiltersOnlyItsOwnThreadsStreams() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SerialFilterProbe.class.getName())
        .redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), output);
    assertEquals("filtered as expected", output.strip().lines().reduce((a, b) -> b).orElse(""));
  }
}
