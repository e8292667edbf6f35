package dev.mlops.lifecycle;

import java.util.Objects;

/**
 * One data check of a pass, as the decision record shows it.
 *
 * <pre>{@code
 * for (DataCheckResult c : record.dataChecks()) {
 *   System.out.println(c.check() + " " + c.subject() + ": " + c.value() + " " + c.threshold() + " " + c.passed());
 * }
 * }</pre>
 *
 * @param check what was checked: {@code schema}, {@code rows}, {@code missing_share}, {@code drifted_share}
 * @param subject the column, or {@code data} for the whole batch
 * @param value the measured number (NaN for the schema check)
 * @param threshold the bound, as text ({@code ≤ 0.05})
 * @param passed whether the check holds
 * @param detail one sentence on what was found
 */
public record DataCheckResult(String check, String subject, double value, String threshold, boolean passed,
    String detail) {
  public DataCheckResult {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(threshold, "threshold");
    Objects.requireNonNull(detail, "detail");
  }
}
