package dev.mlops.tracking;

import dev.mlops.core.Digest;

/**
 * A file stored with a run: its path under the run's artifact folder, the SHA-256 of its
 * content recorded when it was logged, and its size. Reading the artifact back checks the
 * content against this digest.
 *
 * <pre>{@code
 * for (ArtifactInfo a : tracker.getRun(runId).artifacts()) {
 *   byte[] bytes = tracker.readArtifact(runId, a.path());   // verified against a.sha256()
 * }
 * }</pre>
 *
 * @param path the relative path, with {@code /} separators
 * @param sha256 the digest of the content
 * @param size the size in bytes
 */
public record ArtifactInfo(String path, Digest sha256, long size) {}
