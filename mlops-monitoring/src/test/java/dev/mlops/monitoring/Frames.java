package dev.mlops.monitoring;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;

/** Small frames for tests. */
final class Frames {
  private Frames() {}

  static Frame numeric(String name, double[] values) {
    return Frame.builder(Schema.of(Field.optional(name, FieldType.DOUBLE))).column(name, values).build();
  }

  static Frame categorical(String name, String[] values) {
    return Frame.builder(Schema.of(Field.optional(name, FieldType.STRING))).column(name, values).build();
  }
}
