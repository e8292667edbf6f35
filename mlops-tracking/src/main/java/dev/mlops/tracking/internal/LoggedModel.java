package dev.mlops.tracking.internal;

import dev.mlops.core.Digest;

/**
 * A package a run logged: where it is stored and what was recorded about it.
 *
 * @param name the name the run logged it under
 * @param location the package file, relative to the artifact root
 * @param packageDigest the package digest
 * @param fileSha256 the SHA-256 of the file's bytes
 * @param signatureJson the package's signature as JSON
 * @param creationTime when it was logged
 */
public record LoggedModel(
    String name, String location, Digest packageDigest, Digest fileSha256, String signatureJson, long creationTime) {}
