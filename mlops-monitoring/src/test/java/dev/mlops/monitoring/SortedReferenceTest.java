package dev.mlops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A reference sorted once gives the same reports as sorting it on every comparison. */
class SortedReferenceTest {
  private static Frame frame(long seed, double shift, int rows) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[rows];
    double[] b = new double[rows];
    String[] c = new String[rows];
    for (int i = 0; i < rows; i++) {
      a[i] = r.nextDouble() + shift;
      b[i] = i % 17 == 0 ? Double.NaN : Math.floor(r.nextDouble() * 4);
      c[i] = i % 11 == 0 ? null : "k" + r.nextInt(5 + (int) (shift * 4));
    }
    return Frame.builder(Schema.of(Field.optional("a", FieldType.DOUBLE), Field.optional("b", FieldType.DOUBLE),
        Field.optional("c", FieldType.STRING))).column("a", a).column("b", b).column("c", c).build();
  }

  @Test
  void reportsEqualThoseOfTheUnsortedReference() {
    Frame reference = frame(1, 0, 20_000);
    SortedReference sorted = SortedReference.of(reference);
    assertEquals(reference.columnNames(), sorted.columnNames());
    assertEquals(20_000, sorted.rowCount());
    for (double shift : new double[] {0, 0.05, 0.5}) {
      Frame current = frame(2, shift, 15_000);
      for (StatTest test : new StatTest[] {StatTest.ks(), StatTest.wasserstein(), StatTest.psi()}) {
        assertEquals(Drift.between(reference, current).numericTest(test).run().toJson(),
            Drift.between(sorted, current).numericTest(test).run().toJson(), test.name() + " shift " + shift);
      }
    }
  }
}
