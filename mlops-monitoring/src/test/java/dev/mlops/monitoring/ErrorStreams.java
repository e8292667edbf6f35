package dev.mlops.monitoring;

import java.util.SplittableRandom;

/** Seeded 0/1 error streams: stationary, abrupt and gradual changes of the error rate. */
record ErrorStreams(long seed) {
  /** {@code length} Bernoulli errors at {@code rate}. */
  double[] stationary(double rate, int length) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] errors = new double[length];
    for (int i = 0; i < length; i++) {
      errors[i] = random.nextDouble() < rate ? 1 : 0;
    }
    return errors;
  }

  /** {@code before} at rate {@code from}, then {@code after} at rate {@code to}. */
  double[] abrupt(double from, double to, int before, int after) {
    return gradual(from, to, before, 0, after);
  }

  /**
   * {@code before} at rate {@code from}, a linear ramp to {@code to} over {@code ramp} points, then
   * {@code after} at {@code to}.
   */
  double[] gradual(double from, double to, int before, int ramp, int after) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] errors = new double[before + ramp + after];
    for (int i = 0; i < errors.length; i++) {
      double rate = i < before ? from : i >= before + ramp ? to : from + (to - from) * (i - before + 1) / ramp;
      errors[i] = random.nextDouble() < rate ? 1 : 0;
    }
    return errors;
  }

  /** {@code length} exponential absolute errors whose mean goes from 1 to 2 halfway. */
  double[] realValued(int length) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] errors = new double[length];
    for (int i = 0; i < length; i++) {
      errors[i] = -Math.log(1 - random.nextDouble()) * (i < length / 2 ? 1 : 2);
    }
    return errors;
  }
}
