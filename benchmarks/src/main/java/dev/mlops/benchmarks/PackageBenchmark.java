package dev.mlops.benchmarks;

import dev.mlops.core.Digest;
import dev.mlops.packaging.ModelPackage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * Builds a package holding {@value #FILES} artifact files of 64 MiB (256 MiB of incompressible
 * bytes) and a small model, writes it, and reads it back with full verification; against
 * {@link Files#copy} of the same files plus a SHA-256 of every copied byte. Both sides read the
 * sources and write 256 MiB; the baseline hashes the bytes once, the package twice (the artifacts
 * at build, the entries at read, each side by side on the cores) and checks their CRC-32 while it
 * writes them. Both write new files: the outputs of the previous call are deleted before each
 * call, outside the time measured. A third figure, {@code replacePackage}, writes over the
 * package file of the previous call, which the package replaces atomically (a rename over it):
 * on ext4 that rename starts the writeback of the whole new file and the next replacement frees
 * the blocks written, work the filesystem does on top of the library's own.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar --only Package
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class PackageBenchmark {
  static final int FILES = 4;
  static final long FILE_BYTES = 64L << 20;

  private ScratchFolder folder;
  private final List<Path> artifacts = new ArrayList<>();
  private Model<Label> model;
  private Path packageFile;
  private Path replacedFile;

  @Setup(Level.Trial)
  public void writeArtifacts() throws IOException {
    folder = ScratchFolder.create("package");
    Files.createDirectories(folder.resolve("copies"));
    for (int i = 0; i < FILES; i++) {
      artifacts.add(SyntheticData.randomFile(folder.resolve("artifact-" + i + ".bin"), FILE_BYTES, 100 + i));
    }
    model = SyntheticData.classifier(SyntheticData.columnNames(4), 500, 14);
    packageFile = folder.resolve("bench.mlpkg");
    replacedFile = folder.resolve("replaced.mlpkg");
  }

  /** Both sides write new files, as a new package version or a fresh copy does. */
  @Setup(Level.Invocation)
  public void deleteOutputs() throws IOException {
    Files.deleteIfExists(packageFile);
    for (Path a : artifacts) {
      Files.deleteIfExists(copyOf(a));
    }
  }

  @TearDown(Level.Trial)
  public void delete() {
    folder.close();
  }

  @Benchmark
  public Digest writeAndVerifyPackage() {
    return writeAndVerify(packageFile);
  }

  /** The same, written over the previous call's package file. */
  @Benchmark
  public Digest replacePackage() {
    return writeAndVerify(replacedFile);
  }

  private Digest writeAndVerify(Path file) {
    ModelPackage.Builder b = ModelPackage.builder("bench").version("1").model(model);
    for (Path a : artifacts) {
      b.artifact(a.getFileName().toString(), a);
    }
    b.build().writeTo(file);
    // A read package holds its file open until it is closed.
    try (ModelPackage read = ModelPackage.read(file)) {
      return read.digest();
    }
  }

  @Benchmark
  public void copyAndHash(Blackhole blackhole) throws IOException {
    byte[] buffer = new byte[1 << 16];
    for (Path a : artifacts) {
      Path copy = copyOf(a);
      Files.copy(a, copy);
      MessageDigest sha256 = sha256();
      try (InputStream in = Files.newInputStream(copy)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha256.update(buffer, 0, n);
        }
      }
      blackhole.consume(sha256.digest());
    }
  }

  private Path copyOf(Path artifact) {
    return folder.resolve("copies").resolve(artifact.getFileName());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
