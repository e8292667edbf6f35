package dev.mlops.monitoring;

/**
 * Summary statistics of one side of a numeric column, as Evidently shows them beside each
 * histogram: finite values, missing values, mean, population standard deviation and the
 * quantiles (NumPy's linear method) of the finite values. Computed exactly when frames are
 * compared.
 *
 * <pre>{@code
 * report.quality().columns().get(0).currentSummary().ifPresent(s -> System.out.println(s.median()));
 * }</pre>
 *
 * @param count finite values
 * @param missing missing values
 * @param mean mean of the finite values (NaN when there are none)
 * @param std population standard deviation
 * @param min least finite value
 * @param q25 first quartile
 * @param median median
 * @param q75 third quartile
 * @param max greatest finite value
 */
public record ColumnSummary(long count, long missing, double mean, double std, double min, double q25,
    double median, double q75, double max) {}
