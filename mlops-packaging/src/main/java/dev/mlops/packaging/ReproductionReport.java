package dev.mlops.packaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link Reproduction#run()} found: the model was {@linkplain Status#REPRODUCED
 * reproduced}, its training data {@linkplain Status#DATA_CHANGED changed} (naming the file and
 * both hashes), or it is {@linkplain Status#NOT_REPRODUCIBLE not reproducible} (saying why, and
 * for different predictions, the first row that differs). Immutable.
 *
 * <pre>{@code
 * ReproductionReport report = Reproduction.of(pkg).run();
 * if (report.status() != ReproductionReport.Status.REPRODUCED) {
 *   log.warn("{}", report);                  // one readable paragraph
 * }
 * String json = report.toJson();
 * }</pre>
 *
 * @param status the verdict
 * @param reason why, in one sentence
 * @param dataFile the training data file, when the provenance names one
 * @param recordedHash the data's SHA-256 recorded at training time, when known
 * @param currentHash the data's SHA-256 now, when the file could be read
 * @param firstDifferingRow the first example row whose predictions differ, or -1
 * @param differences provenance values (timestamps aside) that differ, as {@code path: original -> reproduced}
 */
public record ReproductionReport(
    Status status,
    String reason,
    String dataFile,
    Digest recordedHash,
    Digest currentHash,
    int firstDifferingRow,
    List<String> differences) {

  /** The verdict of a reproduction. */
  public enum Status {
    /** Retraining from the provenance gave the same predictions and the same provenance. */
    REPRODUCED,
    /** The training data file's SHA-256 is no longer the one recorded at training time. */
    DATA_CHANGED,
    /** The model cannot be, or was not, re-created; the reason says which. */
    NOT_REPRODUCIBLE
  }

  public ReproductionReport {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    differences = ImmutableList.copyOf(differences);
  }

  static ReproductionReport reproduced(String reason, String dataFile, Digest hash, List<String> notes) {
    return new ReproductionReport(Status.REPRODUCED, reason, dataFile, hash, hash, -1, notes);
  }

  static ReproductionReport dataChanged(String dataFile, Digest recorded, Digest current) {
    return new ReproductionReport(
        Status.DATA_CHANGED,
        "the training data '" + dataFile + "' has changed since the model was trained: recorded " + recorded
            + ", now " + current,
        dataFile, recorded, current, -1, List.of());
  }

  static ReproductionReport notReproducible(String reason) {
    return new ReproductionReport(Status.NOT_REPRODUCIBLE, reason, null, null, null, -1, List.of());
  }

  /** The training data file, when the provenance names one. */
  public Optional<String> dataFileName() {
    return Optional.ofNullable(dataFile);
  }

  /** The first example row whose predictions differ, when some do. */
  public OptionalInt firstDifference() {
    return firstDifferingRow < 0 ? OptionalInt.empty() : OptionalInt.of(firstDifferingRow);
  }

  /** The report as canonical JSON; absent values are left out. */
  public String toJson() {
    ObjectNode o = CanonicalJson.object();
    o.put("status", status.name());
    o.put("reason", reason);
    if (dataFile != null) {
      o.put("dataFile", dataFile);
    }
    if (recordedHash != null) {
      o.put("recordedHash", recordedHash.toString());
    }
    if (currentHash != null) {
      o.put("currentHash", currentHash.toString());
    }
    if (firstDifferingRow >= 0) {
      o.put("firstDifferingRow", firstDifferingRow);
    }
    differences.forEach(o.putArray("differences")::add);
    return CanonicalJson.toString(o);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(status.name()).append(": ").append(reason);
    if (dataFile != null) {
      s.append("\n  data file: ").append(dataFile);
    }
    if (recordedHash != null) {
      s.append("\n  recorded:  ").append(recordedHash);
    }
    if (currentHash != null) {
      s.append("\n  current:   ").append(currentHash);
    }
    if (firstDifferingRow >= 0) {
      s.append("\n  first differing row: ").append(firstDifferingRow);
    }
    differences.forEach(d -> s.append("\n  differs: ").append(d));
    return s.toString();
  }
}
