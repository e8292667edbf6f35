package dev.mlops.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.VariableInfo;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * The local surrogate of a regressor, or of a classifier's label score when the classifier gives
 * no probabilities for LIME: samples around the row, LIME's kernel, a weighted
 * least-squares line through the model's predictions (solved by Tribuo's Cholesky factorisation,
 * with a ridge of 1e-8 × the total weight on the slopes only so that a flat direction cannot make
 * it singular).
 */
final class SurrogateContributions {
  private SurrogateContributions() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Explanation explain(Model<?> model, Prediction<?> prediction, String predicted, String explained,
      FeatureInputs inputs, Map<String, String> values, long seed, int samples) {
    Model raw = model;
    ImmutableFeatureMap featureMap = model.getFeatureIDMap();
    Map<String, Double> row = Explainer.features(prediction);
    long examples = Math.max(1, Surrogate.totalExamples(featureMap));
    List<String> names = new ArrayList<>();
    List<double[]> moments = new ArrayList<>();
    for (VariableInfo info : featureMap) {
      double[] m = Surrogate.moments(info, examples);
      if (m[1] > 0) {
        names.add(info.getName());
        moments.add(m);
      }
    }
    int p = names.size();
    double[] x = new double[p];
    double[] sd = new double[p];
    for (int f = 0; f < p; f++) {
      x[f] = row.getOrDefault(names.get(f), 0.0);
      sd[f] = Math.sqrt(moments.get(f)[1]);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[][] steps = new double[samples][p];
    List<Example> points = new ArrayList<>(samples);
    String[] featureNames = names.toArray(String[]::new);
    Example original = prediction.getExample();
    for (int i = 0; i < samples; i++) {
      double[] z = new double[p];
      for (int f = 0; f < p; f++) {
        // the first sample is the row itself, so the surrogate is anchored where it explains
        steps[i][f] = i == 0 ? 0 : random.nextGaussian();
        z[f] = x[f] + steps[i][f] * sd[f];
      }
      points.add(new ArrayExample(original.getOutput(), featureNames, z));
    }
    List<Prediction<?>> answers = raw.predict(points);
    double width = 0.75 * Math.sqrt(Math.max(1, p));
    double[] y = new double[samples];
    double[] w = new double[samples];
    for (int i = 0; i < samples; i++) {
      y[i] = value(answers.get(i), explained);
      double d2 = 0;
      for (double s : steps[i]) {
        d2 += s * s;
      }
      w[i] = Math.sqrt(Math.exp(-d2 / (width * width)));
    }
    double[] beta = weightedLeastSquares(steps, y, w);
    // g(z) = beta0 + Σ beta_f (z_f − x_f) / sd_f, so g at the row is beta0.
    Surrogate local = Surrogate.of(featureMap, row, inputs, point -> {
      double g = beta[0];
      for (int f = 0; f < p; f++) {
        g += beta[f + 1] * (point.features().getOrDefault(featureNames[f], 0.0) - x[f]) / sd[f];
      }
      return g;
    });
    double fidelity = weightedR2(steps, y, w, beta);
    double score = value(prediction, explained);
    return new Explanation("surrogate", predicted, explained, score, local.base(),
        Explainer.contributions(values, local.byInput()), OptionalDouble.of(fidelity), seed);
  }

  /** The explained quantity: a regression dimension's value, or a label's score. */
  static double value(Prediction<?> p, String output) {
    if (p.getOutput() instanceof Regressor r) {
      return Explainer.dimension(r, output);
    }
    Output<?> scored = p.getOutputScores().get(output);
    return scored instanceof Label label ? label.getScore() : 0;
  }

  /** β minimising Σ w (y − β0 − Σ β_f s_f)²; a tiny ridge on the slopes keeps the system positive definite. */
  static double[] weightedLeastSquares(double[][] s, double[] y, double[] w) {
    int n = y.length;
    int k = s[0].length + 1;
    DenseMatrix gram = new DenseMatrix(k, k);
    double[] rhs = new double[k];
    double total = 0;
    double[] a = new double[k];
    for (int i = 0; i < n; i++) {
      a[0] = 1;
      System.arraycopy(s[i], 0, a, 1, k - 1);
      for (int r = 0; r < k; r++) {
        rhs[r] += w[i] * a[r] * y[i];
        for (int c = 0; c <= r; c++) {
          gram.set(r, c, gram.get(r, c) + w[i] * a[r] * a[c]);
        }
      }
      total += w[i];
    }
    for (int r = 0; r < k; r++) {
      for (int c = r + 1; c < k; c++) {
        gram.set(r, c, gram.get(c, r));
      }
      if (r > 0) {
        gram.set(r, r, gram.get(r, r) + 1e-8 * total);
      }
    }
    DenseVector solution = gram.choleskyFactorization()
        .orElseThrow(() -> new IllegalStateException("the surrogate's normal equations are not positive definite"))
        .solve(DenseVector.createDenseVector(rhs));
    return solution.toArray();
  }

  private static double weightedR2(double[][] s, double[] y, double[] w, double[] beta) {
    double sw = 0;
    double mean = 0;
    for (int i = 0; i < y.length; i++) {
      sw += w[i];
      mean += w[i] * y[i];
    }
    mean /= sw;
    double res = 0;
    double tot = 0;
    for (int i = 0; i < y.length; i++) {
      double fit = beta[0];
      for (int f = 0; f < s[i].length; f++) {
        fit += beta[f + 1] * s[i][f];
      }
      res += w[i] * (y[i] - fit) * (y[i] - fit);
      tot += w[i] * (y[i] - mean) * (y[i] - mean);
    }
    return tot == 0 ? 1 : 1 - res / tot;
  }
}
