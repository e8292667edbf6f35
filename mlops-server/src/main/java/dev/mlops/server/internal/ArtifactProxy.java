package dev.mlops.server.internal;

import dev.mlops.core.Digest;
import dev.mlops.tracking.ArtifactInfo;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.internal.ArtifactRepository;
import dev.mlops.tracking.internal.TrackingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MLflow's artifact proxy, {@code /api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/<path>}:
 * PUT streams a body into the run's artifact folder through a temporary file, records its
 * SHA-256 and size, and GET streams a recorded artifact back after checking it against that
 * digest; DELETE forgets a file or a folder of them and removes the files. A path that leaves the
 * run's folder is refused before anything is read or written.
 */
public final class ArtifactProxy {
  /** The proxy's path prefix. */
  public static final String PREFIX = "/api/2.0/mlflow-artifacts/artifacts/";
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactProxy.class);

  private final TrackingStore store;
  private final ArtifactRepository artifacts;
  private final long maxArtifactBytes;

  /**
   * @param store where runs and artifact records live
   * @param artifacts where artifact files live
   * @param maxArtifactBytes the largest artifact a PUT may send
   */
  public ArtifactProxy(TrackingStore store, ArtifactRepository artifacts, long maxArtifactBytes) {
    this.store = store;
    this.artifacts = artifacts;
    this.maxArtifactBytes = maxArtifactBytes;
  }

  /**
   * A proxy path split into the run it names and the path inside the run.
   *
   * @param experimentId the experiment's id
   * @param runId the run's id
   * @param path the artifact's path under the run, checked
   */
  record Target(String experimentId, String runId, String path) {}

  /** Answers one proxy call; {@code rest} is the path after {@link #PREFIX}. */
  void handle(String method, String rest, Request request, Response response) {
    Target target = parse(rest);
    switch (method) {
      case "GET" -> download(target, response);
      case "PUT" -> upload(target, request, response);
      case "DELETE" -> delete(target, response);
      default -> {
        response.getHeaders().put(HttpHeader.ALLOW, "GET, PUT, DELETE");
        throw new ApiException(ErrorCode.BAD_REQUEST, 405, "the artifact proxy answers GET, PUT and DELETE, not "
            + method);
      }
    }
  }

  static Target parse(String rest) {
    String[] parts = rest.split("/", 3);
    if (parts.length < 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw ApiException.invalid("path", "an artifact path must be <experiment id>/<run id>/<path inside the run>;"
          + " got '" + ApiRequest.abbreviate(rest) + "'");
    }
    return new Target(parts[0], parts[1], ArtifactRepository.checkPath(parts[2]));
  }

  private RunRecord run(Target target) {
    RunRecord run = store.run(target.runId()).orElse(null);
    if (run == null || !run.experimentId().equals(target.experimentId())) {
      throw new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "no run '" + target.runId() + "' in experiment '"
          + target.experimentId() + "'");
    }
    return run;
  }

  private void download(Target target, Response response) {
    RunRecord run = run(target);
    ArtifactInfo info = run.artifacts().stream().filter(a -> a.path().equals(target.path())).findFirst()
        .orElseThrow(() -> new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "run '" + run.runId()
            + "' has no artifact '" + target.path() + "'"));
    Path file = artifacts.locate(target.experimentId(), target.runId(), target.path());
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new ApiException(ErrorCode.RESOURCE_DOES_NOT_EXIST, "artifact '" + target.path() + "' of run '"
          + run.runId() + "' is recorded, but its file is missing from the server's artifact folder");
    }
    Digest actual = Digest.ofFile(file);
    if (!actual.equals(info.sha256())) {
      throw new dev.mlops.core.IntegrityException("artifact '" + target.path() + "' of run '" + run.runId()
          + "' should have " + info.sha256() + " but has " + actual);
    }
    sendFile(response, file, info.sha256(), info.size());
  }

  /** Streams a file whose digest and size were checked, with its SHA-256 in a {@code Digest} header. */
  static void sendFile(Response response, Path file, Digest sha256, long size) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
    response.getHeaders().put("Digest", "sha-256=" + java.util.Base64.getEncoder().encodeToString(
        java.util.HexFormat.of().parseHex(sha256.hex())));
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      Files.copy(file, out);
    } catch (IOException e) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "the client stopped reading " + file.getFileName());
    }
  }

  // As MLflow's proxy: the file, or everything under the folder, is removed; nothing there is no error.
  private void delete(Target target, Response response) {
    RunRecord run = run(target);
    for (ArtifactInfo gone : store.deleteArtifacts(run.runId(), target.path())) {
      Path file = artifacts.locate(run.experimentId(), run.runId(), gone.path());
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // the record is gone, so nothing serves the file any more; a stray file costs only space
        LOG.info("artifact '{}' of run '{}' is forgotten but its file stays: {}", gone.path(), run.runId(),
            e.getMessage());
      }
    }
    answerEmpty(response);
  }

  private void upload(Target target, Request request, Response response) {
    RunRecord run = run(target);
    Path tmp = receive(request, maxArtifactBytes);
    try {
      ArtifactInfo info = artifacts.store(run.experimentId(), run.runId(), tmp, target.path());
      store.recordArtifact(run.runId(), info);
    } finally {
      deleteQuietly(tmp);
    }
    answerEmpty(response);
  }

  /**
   * Streams a request body of at most {@code limit} bytes into a temporary file, which the caller
   * deletes; beyond the limit, a 413 error and no file.
   */
  static Path receive(Request request, long limit) {
    long declared = request.getLength();
    if (declared > limit) {
      throw ApiHandler.tooLarge(declared, limit);
    }
    Path tmp = null;
    try {
      tmp = Files.createTempFile("mlops-upload-", ".part");
      try (InputStream in = Content.Source.asInputStream(request); OutputStream out = Files.newOutputStream(tmp)) {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
          total += n;
          if (total > limit) {
            throw ApiHandler.tooLarge(total, limit);
          }
          out.write(buffer, 0, n);
        }
      }
      return tmp;
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new ApiException(ErrorCode.BAD_REQUEST, "the body could not be read: the client stopped sending or was"
          + " too slow");
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  static void deleteQuietly(Path tmp) {
    if (tmp != null) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // a stray file in the temporary folder is harmless
      }
    }
  }

  static void answerEmpty(Response response) {
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      out.write("{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new ApiException(ErrorCode.BAD_REQUEST, "the client went away before the answer");
    }
  }
}
