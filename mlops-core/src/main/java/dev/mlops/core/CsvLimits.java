package dev.mlops.core;

/**
 * Bounds on what {@link Frame#readCsv(java.nio.file.Path, Schema, CsvLimits) reading a CSV} may
 * take in, checked while reading so that a hostile file is refused before it is held in memory:
 * an oversized cell, record or input is an {@link InvalidInputException} naming the line, the
 * column and the limit. The defaults suit data sets of a few gigabytes of text.
 *
 * <pre>{@code
 * CsvLimits wide = CsvLimits.defaults().withMaxColumns(100_000).withMaxCellChars(8 << 20);
 * Frame f = Frame.readCsv(Path.of("genes.csv"), null, wide);
 * }</pre>
 *
 * @param maxCellChars the most characters one cell may hold
 * @param maxRecordChars the most characters of cell text one record (row) may hold, all cells together
 * @param maxColumns the most cells one record may have
 * @param maxInputChars the most characters the whole input may have
 */
public record CsvLimits(int maxCellChars, int maxRecordChars, int maxColumns, long maxInputChars) {
  /** Default for {@link #maxCellChars()}: 1 Mi characters. */
  public static final int DEFAULT_MAX_CELL_CHARS = 1 << 20;
  /** Default for {@link #maxRecordChars()}: 16 Mi characters. */
  public static final int DEFAULT_MAX_RECORD_CHARS = 16 << 20;
  /** Default for {@link #maxColumns()}. */
  public static final int DEFAULT_MAX_COLUMNS = 16_384;
  /** Default for {@link #maxInputChars()}: 4 Gi characters. */
  public static final long DEFAULT_MAX_INPUT_CHARS = 4L << 30;

  /**
   * @throws InvalidInputException if a limit is not positive
   */
  public CsvLimits {
    if (maxCellChars < 1 || maxRecordChars < 1 || maxColumns < 1 || maxInputChars < 1) {
      throw new InvalidInputException("CSV limits must be positive; got cell " + maxCellChars + ", record "
          + maxRecordChars + ", columns " + maxColumns + ", input " + maxInputChars);
    }
  }

  /** The default limits. */
  public static CsvLimits defaults() {
    return new CsvLimits(DEFAULT_MAX_CELL_CHARS, DEFAULT_MAX_RECORD_CHARS, DEFAULT_MAX_COLUMNS,
        DEFAULT_MAX_INPUT_CHARS);
  }

  /** These limits with another bound on one cell. */
  public CsvLimits withMaxCellChars(int chars) {
    return new CsvLimits(chars, maxRecordChars, maxColumns, maxInputChars);
  }

  /** These limits with another bound on one record. */
  public CsvLimits withMaxRecordChars(int chars) {
    return new CsvLimits(maxCellChars, chars, maxColumns, maxInputChars);
  }

  /** These limits with another bound on the cells of one record. */
  public CsvLimits withMaxColumns(int columns) {
    return new CsvLimits(maxCellChars, maxRecordChars, columns, maxInputChars);
  }

  /** These limits with another bound on the whole input. */
  public CsvLimits withMaxInputChars(long chars) {
    return new CsvLimits(maxCellChars, maxRecordChars, maxColumns, chars);
  }
}
