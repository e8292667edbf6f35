package dev.mlops.spark.internal;

import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.Profile;
import dev.mlops.monitoring.Profiler;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Profiles one partition, streaming: rows are read into column blocks of {@link #BLOCK_ROWS},
 * each block profiled and merged into the partition's profile, so a task holds one block
 * whatever the partition's size. The partition's profile leaves the task as its JSON text, the
 * form a profile is checked on when read back; {@link #merge} folds two of them on an executor.
 *
 * <p>Profiles merge exactly, so the result depends on the multiset of rows alone, not on how
 * they were split into partitions and blocks nor on the order of the merges.
 */
public final class PartitionProfiler implements FlatMapFunction<Iterator<InternalRow>, String> {
  private static final long serialVersionUID = 1L;
  /** Rows per block: 64 Ki rows of 20 numeric columns is 10 MiB, small beside an executor's heap. */
  static final int BLOCK_ROWS = 1 << 16;

  private final ColumnPlan plan;
  private final Broadcast<String> referenceJson;

  /** Profiles with {@code plan}; against the broadcast reference's bins when it is not null. */
  public PartitionProfiler(ColumnPlan plan, Broadcast<String> referenceJson) {
    this.plan = plan;
    this.referenceJson = referenceJson;
  }

  /** The profiler every block goes through: against the reference when there is one. */
  public static Profiler profiler(String referenceJson) {
    return referenceJson == null ? Profile.profiler() : Profile.against(readTrusted(referenceJson));
  }

  /** The profile of no rows, for data without partitions. */
  public static Profile empty(ColumnPlan plan, Profiler profiler) {
    return profiler.of(new Block(plan, 0).frame());
  }

  @Override
  public Iterator<String> call(Iterator<InternalRow> rows) {
    Profiler profiler = profiler(referenceJson == null ? null : referenceJson.value());
    Block block = new Block(plan, BLOCK_ROWS);
    Profile partition = null;
    while (rows.hasNext()) {
      block.add(rows.next());
      if (block.full()) {
        partition = mergeInto(partition, profiler.of(block.frame()));
        block.clear();
      }
    }
    if (partition == null || block.size() > 0) {
      partition = mergeInto(partition, profiler.of(block.frame()));
    }
    return List.of(partition.toJson()).iterator();
  }

  private static Profile mergeInto(Profile sofar, Profile block) {
    return sofar == null ? block : sofar.merge(block);
  }

  /** Merges two partial profiles given as JSON; the tree aggregation's step. */
  public static Function2<String, String, String> merge() {
    return (a, b) -> readTrusted(a).merge(readTrusted(b)).toJson();
  }

  /**
   * Reads JSON this class wrote, from the rows themselves: trusted, so read with the largest
   * limit. A short text's sketches may span many buckets (values from 1e-300 to 1e300 in many
   * columns), which the profile held in memory anyway when it was written.
   */
  public static Profile readTrusted(String json) {
    return Profile.fromJson(json, Integer.MAX_VALUE);
  }

  /** One block of rows, column by column. */
  private static final class Block {
    private final ColumnPlan plan;
    private final double[][] numbers;
    private final String[][] texts;
    private final int capacity;
    private int size;

    Block(ColumnPlan plan, int capacity) {
      this.plan = plan;
      this.capacity = capacity;
      this.numbers = new double[plan.size()][];
      this.texts = new String[plan.size()][];
      for (int c = 0; c < plan.size(); c++) {
        if (plan.isNumeric(c)) {
          numbers[c] = new double[capacity];
        } else {
          texts[c] = new String[capacity];
        }
      }
    }

    void add(InternalRow row) {
      for (int c = 0; c < numbers.length; c++) {
        if (numbers[c] != null) {
          numbers[c][size] = plan.number(row, c);
        } else {
          texts[c][size] = plan.text(row, c);
        }
      }
      size++;
    }

    boolean full() {
      return size == capacity;
    }

    int size() {
      return size;
    }

    void clear() {
      size = 0;
    }

    Frame frame() {
      Schema schema = plan.schema();
      FrameBuilder b = Frame.builder(schema);
      String[] names = plan.names();
      for (int c = 0; c < names.length; c++) {
        if (numbers[c] != null) {
          b.column(names[c], size == capacity ? numbers[c] : java.util.Arrays.copyOf(numbers[c], size));
        } else {
          b.column(names[c], size == capacity ? texts[c] : java.util.Arrays.copyOf(texts[c], size));
        }
      }
      return b.build();
    }
  }
}
