package dev.mlops.benchmarks;

import java.util.List;
import java.util.Optional;

/** The results-table rows of the explain benchmarks, each a ratio to its baseline in the same run. */
final class ExplainTargets {
  static final String IMPORTANCE = "permutation importance, 10,000 rows × 20 features × 5 repeats, one thread";
  static final String IMPORTANCE_PARALLEL = "permutation importance, same data, one thread per core (the default)";
  static final String LIME = "one LIME explanation (1,000 samples), factorization machine over 10 inputs";
  static final String NO_EXPLAIN = "`POST /invocations` with `?explain=false`, one row, loopback";
  static final String EXPLAIN = "`POST /invocations?explain=true`, one row, exact linear explanation";

  private static final String PREDICTIONS = "the 101 batch predictions of the same frame it needs, one after another";

  private ExplainTargets() {}

  static List<ResultRow> rows(JmhScores s) {
    return List.of(
        ratio(s, "PermutationImportanceBenchmark.permutationImportanceOneThread",
            "PermutationImportanceBenchmark.batchPredictions", IMPORTANCE, PREDICTIONS, 1.2,
            "shuffling a column and scoring cost more than predicting"),
        ratio(s, "PermutationImportanceBenchmark.permutationImportance",
            "PermutationImportanceBenchmark.batchPredictions", IMPORTANCE_PARALLEL, PREDICTIONS, 1.2,
            "the shuffled copies are predicted side by side, so other builds on the cores slow it"),
        lime(s),
        ratio(s, "ExplainServingBenchmark.scoreExplainFalse", "ExplainServingBenchmark.score", NO_EXPLAIN,
            "the same request without a query", 1.05, "reading the query costs visibly"),
        ratio(s, "ExplainServingBenchmark.scoreExplained", "ExplainServingBenchmark.score", EXPLAIN,
            "the same request without a query", Double.POSITIVE_INFINITY, ""));
  }

  private static ResultRow ratio(JmhScores s, String library, String baselineMethod, String benchmark,
      String baseline, double limit, String whyMissed) {
    String target = Double.isInfinite(limit) ? "report the ratio" : "≤ " + Figures.format(limit) + "× the baseline's time";
    if (!s.ran(library)) {
      return ResultRow.notMeasured(benchmark, baseline, target, TargetChecks.NOT_SELECTED);
    }
    Optional<Double> lib = s.nanosPerOp(library);
    Optional<Double> base = s.nanosPerOp(baselineMethod);
    if (lib.isEmpty() || base.isEmpty()) {
      return ResultRow.notMeasured(benchmark, baseline, target, "failed or not run; see its JMH output");
    }
    double r = lib.get() / base.get();
    Optional<Boolean> met = Double.isInfinite(limit) ? Optional.empty() : Optional.of(r <= limit);
    return new ResultRow(benchmark, baseline, Figures.time(lib.get()), Figures.time(base.get()),
        Figures.ratio(r) + " the baseline's time", target, met, "").ifMissed(whyMissed);
  }

  private static ResultRow lime(JmhScores s) {
    String baseline = "batch prediction of 1,000 examples by the same model";
    String target = "< 50 ms";
    String library = "LimeBenchmark.limeExplanation";
    if (!s.ran(library)) {
      return ResultRow.notMeasured(LIME, baseline, target, TargetChecks.NOT_SELECTED);
    }
    Optional<Double> lib = s.nanosPerOp(library);
    Optional<Double> base = s.nanosPerOp("LimeBenchmark.predictSamples");
    if (lib.isEmpty() || base.isEmpty()) {
      return ResultRow.notMeasured(LIME, baseline, target, "failed or not run; see its JMH output");
    }
    return new ResultRow(LIME, baseline, Figures.time(lib.get()), Figures.time(base.get()),
        Figures.ratio(lib.get() / base.get()) + " the baseline's time", target, Optional.of(lib.get() < 50e6), "")
        .ifMissed("fitting the LARS surrogate costs more than the samples' predictions");
  }
}
