package dev.mlops.tracking.internal;

import dev.mlops.core.Digest;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.StoreUnavailableException;
import dev.mlops.tracking.ArtifactInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Run artifacts on a file system: {@code <root>/<experiment id>/<run id>/<path>}. A file is
 * copied to a temporary name beside its destination while its SHA-256 is computed, then moved
 * into place in one step, so a reader never sees half a file. Paths are checked before any byte
 * is written: a path that is absolute, has {@code .} or {@code ..} segments or a backslash, or
 * would resolve outside the run's folder is refused. Files are created with the permissions
 * the process's umask gives any new file, so that another account (a scoring server) can read
 * what a training job stored.
 */
public final class ArtifactRepository {
  private static final int MAX_PATH_LENGTH = 1000;
  private final Path root;
  private final String origin;

  /**
   * @param root the folder everything is stored under
   * @param origin where that location came from, for messages: {@code "recorded in the store"}
   */
  public ArtifactRepository(Path root, String origin) {
    this.root = root.toAbsolutePath().normalize();
    this.origin = origin;
  }

  /** The folder everything is stored under. */
  public Path root() {
    return root;
  }

  /**
   * The error for a stored file that is not where the store says: names the file, the
   * artifact location in use and where it came from, and how to point this process elsewhere.
   */
  public NotFoundException missing(String what, Path file) {
    return new NotFoundException(what + " is missing from " + file + "; this process looks for the store's artifacts"
        + " under " + root + " (" + origin + "). If they are in another folder here (a shared mount), open the"
        + " tracker with ?artifacts=<folder> in its URI, the environment variable MLOPS_ARTIFACTS=<folder> or"
        + " Tracker.builder(uri).artifacts(folder); if the folder was cleaned, log the files again");
  }

  /**
   * Checks a relative artifact path and returns it.
   *
   * @throws InvalidInputException naming the path and the rule it breaks
   */
  public static String checkPath(String path) {
    if (path == null || path.isEmpty()) {
      throw new InvalidInputException("an artifact path must not be empty; give a relative path such as 'plots/roc.png'");
    }
    if (path.length() > MAX_PATH_LENGTH) {
      throw new InvalidInputException("artifact path '" + path.substring(0, 40) + "...' is " + path.length()
          + " characters long; the limit is " + MAX_PATH_LENGTH);
    }
    StoredText.check("artifact path '" + StoredText.printable(path) + "'", path);
    if (path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0 || path.contains(":")) {
      throw new InvalidInputException("artifact path '" + path + "' must be relative, with '/' separators and no"
          + " ':', '\\\\' or NUL; give a path such as 'plots/roc.png'");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new InvalidInputException("artifact path '" + path + "' has an empty, '.' or '..' segment; it must stay"
            + " inside the run's artifact folder");
      }
    }
    return path;
  }

  /** Where a run's artifact lives; the path must have passed {@link #checkPath}. */
  public Path locate(String experimentId, String runId, String path) {
    Path runDir = runDir(experimentId, runId);
    Path target = runDir.resolve(checkPath(path)).normalize();
    if (!target.startsWith(runDir)) {
      throw new InvalidInputException("artifact path '" + path + "' leaves the run's artifact folder; refused");
    }
    return target;
  }

  private Path runDir(String experimentId, String runId) {
    return root.resolve(experimentId).resolve(runId);
  }

  /** Copies a file in and returns what to record about it. */
  public ArtifactInfo store(String experimentId, String runId, Path source, String path) {
    try (Staged staged = stage(experimentId, runId, source, path)) {
      staged.place();
      return staged.info();
    }
  }

  /** Writes bytes as an artifact and returns what to record about them. */
  public ArtifactInfo store(String experimentId, String runId, byte[] content, String path) {
    try (Staged staged = write(experimentId, runId, new ByteArrayInputStream(content), path)) {
      staged.place();
      return staged.info();
    }
  }

  /**
   * Copies a file beside its destination under a temporary name, digesting it, and leaves the
   * move into place to the caller: {@link Staged#place()} inside the transaction that records
   * it, so that only the writer whose record wins ever replaces the file.
   */
  public Staged stage(String experimentId, String runId, Path source, String path) {
    if (!Files.exists(source)) {
      throw new NotFoundException("no file '" + source + "' to log as an artifact; check the path");
    }
    if (!Files.isRegularFile(source)) {
      throw new InvalidInputException("'" + source + "' is not a regular file; log each file of a folder on its own");
    }
    try (InputStream in = Files.newInputStream(source)) {
      return write(experimentId, runId, in, path);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("no file '" + source + "' to log as an artifact; check the path", e);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot read '" + source + "': " + e.getMessage(), e);
    }
  }

  /** An artifact written under a temporary name: moved into place once, or deleted when closed. */
  public static final class Staged implements AutoCloseable {
    private final Path tmp;
    private final Path target;
    private final ArtifactInfo info;
    private boolean placed;

    private Staged(Path tmp, Path target, ArtifactInfo info) {
      this.tmp = tmp;
      this.target = target;
      this.info = info;
    }

    /** What to record about the file. */
    public ArtifactInfo info() {
      return info;
    }

    /** The staged bytes: the temporary file until it is placed, the destination after. */
    public Path file() {
      return placed ? target : tmp;
    }

    /** Moves the file into place, replacing what was there; a second call does nothing. */
    public void place() {
      if (placed) {
        return;
      }
      try {
        moveIntoPlace(tmp, target);
      } catch (IOException e) {
        throw new StoreUnavailableException("cannot move artifact '" + info.path() + "' into " + target + ": "
            + e.getMessage(), e);
      }
      placed = true;
    }

    /** Deletes the temporary file unless it was placed. */
    @Override
    public void close() {
      if (!placed) {
        deleteQuietly(tmp);
      }
    }
  }

  private Staged write(String experimentId, String runId, InputStream in, String path) {
    Path target = locate(experimentId, runId, path);
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      refuseLinks(runDir(experimentId, runId), target.getParent());
      tmp = newTemporaryFile(target.getParent());
      MessageDigest sha = sha256();
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
        size = in.transferTo(out);
      }
      Staged staged = new Staged(tmp, target, new ArtifactInfo(path, new Digest(HexFormat.of().formatHex(sha.digest())),
          size));
      tmp = null;
      return staged;
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot write artifact '" + path + "' under " + root + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Copies a file to {@code <root>/<folder>/<sha256 of its bytes><suffix>} and returns that
   * location relative to the root, with {@code /} separators. The copy is made under a temporary
   * name and handed to {@code verify} first; only when it returns is the copy moved into place,
   * so a file that fails verification leaves nothing behind. Equal files share one location.
   *
   * @throws NotFoundException if the file does not exist
   */
  public String storeVerified(Path source, String folder, String suffix, Consumer<Path> verify) {
    if (!Files.isRegularFile(source)) {
      throw new NotFoundException("no file '" + source + "'; check the path");
    }
    Path dir = root.resolve(checkPath(folder));
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = newTemporaryFile(dir);
      MessageDigest sha = sha256();
      try (InputStream in = Files.newInputStream(source);
          OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
        in.transferTo(out);
      }
      verify.accept(tmp);
      String name = HexFormat.of().formatHex(sha.digest()) + suffix;
      moveIntoPlace(tmp, dir.resolve(name));
      tmp = null;
      return folder + "/" + name;
    } catch (NoSuchFileException e) {
      throw new NotFoundException("no file '" + source + "'; check the path", e);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot copy '" + source + "' under " + dir + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  // Files.createTempFile would make the file 0600 whatever the umask; createFile gives it the
  // permissions of any new file of this process. The random name keeps concurrent writers apart.
  private static Path newTemporaryFile(Path dir) throws IOException {
    while (true) {
      try {
        return Files.createFile(dir.resolve(".upload-" + UUID.randomUUID() + ".tmp"));
      } catch (FileAlreadyExistsException e) {
        // another writer drew the same name; draw again
      }
    }
  }

  /** A run artifact's location relative to the root, with {@code /} separators. */
  public static String relativeLocation(String experimentId, String runId, String path) {
    return experimentId + "/" + runId + "/" + checkPath(path);
  }

  private static void deleteQuietly(Path tmp) {
    if (tmp != null) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // a stray temporary file is harmless and has a name readers ignore
      }
    }
  }

  private static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  // A symbolic link inside the run folder could redirect a write elsewhere on the disk.
  private static void refuseLinks(Path runDir, Path dir) {
    for (Path p = dir; p != null && p.startsWith(runDir); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new InvalidInputException("'" + p + "' is a symbolic link inside a run's artifact folder; refused");
      }
    }
  }

  /**
   * Reads an artifact back and checks it against the digest recorded when it was logged.
   *
   * @throws IntegrityException if the content changed since
   */
  public byte[] read(String experimentId, String runId, ArtifactInfo recorded) {
    Path file = locate(experimentId, runId, recorded.path());
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw missing("artifact '" + recorded.path() + "' of run '" + runId + "'", file);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot read artifact '" + file + "': " + e.getMessage(), e);
    }
    Digest actual = Digest.of(bytes);
    if (!actual.equals(recorded.sha256())) {
      throw new IntegrityException("artifact '" + recorded.path() + "' of run '" + runId + "' should have "
          + recorded.sha256() + " but has " + actual + "; the file was changed after it was logged");
    }
    return bytes;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
