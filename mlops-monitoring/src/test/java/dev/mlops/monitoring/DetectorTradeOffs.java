package dev.mlops.monitoring;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Prints the table of the module's README: for each detector, ours beside MOA's, the runs with a
 * false alarm among 60 seeded stationary runs (10,000 and 100,000 points at error rates 0.1 and
 * 0.3), and the mean delay and the misses over 60 runs of an abrupt change 0.1 → 0.4 and a
 * gradual one 0.1 → 0.3 over 2,000 points, each after 2,000 points at 0.1 and followed by 1,000
 * points at the new rate. The README says how to run it.
 */
public final class DetectorTradeOffs {
  static final int RUNS = 60;
  static final int CHANGE_AT = 2_000;

  private DetectorTradeOffs() {}

  /** One detector's figures. */
  record Row(String detector, String implementation, int[] falseAlarms, double abruptDelay, int abruptMisses,
      double gradualDelay, int gradualMisses) {
    String markdown() {
      StringBuilder b = new StringBuilder("| " + detector + " | " + implementation + " |");
      for (int f : falseAlarms) {
        b.append(' ').append(f).append(" |");
      }
      return b.append(String.format(Locale.ROOT, " %.0f | %d | %.0f | %d |", abruptDelay, abruptMisses,
          gradualDelay, gradualMisses)).toString();
    }
  }

  static Row measure(String detector, String implementation, Function<double[], List<Integer>> signals) {
    int[] falseAlarms = new int[4];
    int column = 0;
    for (int length : new int[] {10_000, 100_000}) {
      for (double rate : new double[] {0.1, 0.3}) {
        for (int run = 1; run <= RUNS; run++) {
          if (!signals.apply(new ErrorStreams(run).stationary(rate, length)).isEmpty()) {
            falseAlarms[column]++;
          }
        }
        column++;
      }
    }
    long abruptTotal = 0;
    int abruptMisses = 0;
    long gradualTotal = 0;
    int gradualMisses = 0;
    for (int run = 1; run <= RUNS; run++) {
      ErrorStreams streams = new ErrorStreams(1_000 + run);
      int a = delay(signals.apply(streams.abrupt(0.1, 0.4, CHANGE_AT, 3_000)));
      int g = delay(signals.apply(streams.gradual(0.1, 0.3, CHANGE_AT, 2_000, 1_000)));
      abruptMisses += a < 0 ? 1 : 0;
      abruptTotal += Math.max(a, 0);
      gradualMisses += g < 0 ? 1 : 0;
      gradualTotal += Math.max(g, 0);
    }
    return new Row(detector, implementation, falseAlarms, (double) abruptTotal / Math.max(1, RUNS - abruptMisses),
        abruptMisses, (double) gradualTotal / Math.max(1, RUNS - gradualMisses), gradualMisses);
  }

  /** Points from the change to the first signal at or after it, or −1 for none. */
  private static int delay(List<Integer> signals) {
    return signals.stream().filter(i -> i >= CHANGE_AT).findFirst().map(i -> i - CHANGE_AT).orElse(-1);
  }

  public static void main(String[] args) {
    System.out.println("| detector | implementation | false alarms 10k @0.1 | 10k @0.3 | 100k @0.1 | 100k @0.3 "
        + "| abrupt mean delay | abrupt misses | gradual mean delay | gradual misses |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (MoaReference d : MoaReference.values()) {
      String name = d.ours().name();
      System.out.println(measure(name, "ours", e -> d.ourSignals(e, MonitorState.DRIFT)).markdown());
      System.out.println(measure(name, "MOA", e -> d.moaSignals(e, MonitorState.DRIFT)).markdown());
    }
    System.out.println(measure("pageHinkleyClamped", "ours",
        e -> MoaReference.signals(ConceptDriftDetector.pageHinkleyClamped(), e, MonitorState.DRIFT)).markdown());
  }
}
