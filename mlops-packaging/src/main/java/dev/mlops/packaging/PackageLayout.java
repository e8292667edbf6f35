package dev.mlops.packaging;

import java.util.Set;

/** The paths of a package's files, in one place for the writer and the reader. */
final class PackageLayout {
  static final String MODEL = "model/model.tribuo";
  static final String PROVENANCE = "model/provenance.json";
  static final String ONNX = "model/model.onnx";
  static final String SIGNATURE = "signature.json";
  static final String INPUT_EXAMPLE = "input_example.json";
  static final String ENVIRONMENT = "environment.json";
  static final String LINEAGE = "lineage.json";
  static final String IMPORTANCE = "explanations/importance.json";
  static final String ARTIFACTS = "artifacts/";
  /** The key of the Tribuo version in {@code environment.json}, next to the core environment's fields. */
  static final String TRIBUO_VERSION = "tribuoVersion";

  static final Set<String> REQUIRED = Set.of(MODEL, PROVENANCE, SIGNATURE, ENVIRONMENT);
  static final Set<String> OPTIONAL = Set.of(INPUT_EXAMPLE, LINEAGE, ONNX, IMPORTANCE);
  /**
   * The files a reader parses, held in memory once verified; the others (artifacts, the ONNX
   * model) may be large and are served from the package file.
   */
  static final Set<String> PARSED = Set.of(MODEL, PROVENANCE, SIGNATURE, ENVIRONMENT, INPUT_EXAMPLE, LINEAGE, IMPORTANCE);

  private PackageLayout() {}

  static boolean isKnown(String path) {
    return REQUIRED.contains(path) || OPTIONAL.contains(path) || path.startsWith(ARTIFACTS);
  }
}
