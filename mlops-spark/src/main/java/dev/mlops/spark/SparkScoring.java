package dev.mlops.spark;

import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.StoreUnavailableException;
import dev.mlops.packaging.LoadOptions;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.Predictor;
import dev.mlops.spark.internal.PackagedModel;
import dev.mlops.spark.internal.ScoringTask;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * Batch scoring of a model package on Spark, as MLflow's {@code spark_udf}: {@link #transform}
 * adds the prediction columns to a data set. The package is read and verified once, on the
 * driver, when the scoring is made (a tampered package is refused there, before any task); its
 * bytes, the very ones verified, are broadcast, and each executor JVM loads the model from them
 * once. Every row goes through the package's {@code ModelSignature}, as {@link Predictor} enforces
 * it: the data's column types are checked against it on the driver, and a row that breaks it (a
 * missing required value, an infinite number) gets null predictions and the reason in the error
 * column, or fails the job with {@link #failFast()}, never a silently wrong value. Immutable; each
 * option returns a changed copy.
 *
 * <p>A classifier adds {@code prediction} (the label) and, when the model gives scores, one
 * {@code score_<label>} column per label of the signature; a regressor adds {@code prediction}
 * (one dimension) or {@code prediction_<dimension>} per dimension; both add
 * {@code prediction_error}, null for a row that was scored.
 *
 * <pre>{@code
 * SparkScoring scoring = SparkScoring.of(Path.of("churn.mlpkg"));
 * Dataset<Row> scored = scoring.transform(spark.table("customers"));
 * scored.filter("prediction_error is not null").show();
 * Dataset<Row> strict = scoring.failFast().transform(spark.table("customers"));
 * }</pre>
 */
public final class SparkScoring {
  private final PackagedModel model;
  private final String digest;
  private final String name;
  private final List<Field> inputs;
  private final boolean classifier;
  private final List<String> outputs;
  private final boolean scores;
  private final boolean failFast;
  private final String prefix;

  private SparkScoring(PackagedModel model, String digest, String name, List<Field> inputs, boolean classifier,
      List<String> outputs, boolean scores, boolean failFast, String prefix) {
    this.model = model;
    this.digest = digest;
    this.name = name;
    this.inputs = inputs;
    this.classifier = classifier;
    this.outputs = outputs;
    this.scores = scores;
    this.failFast = failFast;
    this.prefix = prefix;
  }

  /** Scoring with the package file at {@code packageFile}, read with the default load options. */
  public static SparkScoring of(Path packageFile) {
    return of(packageFile, LoadOptions.defaults());
  }

  /**
   * Scoring with a package given as a path or a {@code file:} URI. A registry URI
   * ({@code models:/name@alias}) is resolved by the tracking module: pass the package file it
   * resolves to.
   *
   * @throws InvalidInputException for another kind of URI
   */
  public static SparkScoring of(String packageUri) {
    Objects.requireNonNull(packageUri, "packageUri");
    if (packageUri.startsWith("file:")) {
      return of(Path.of(URI.create(packageUri)));
    }
    if (packageUri.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*")) {
      throw new InvalidInputException("cannot score '" + packageUri + "': give a package file's path or file: URI; "
          + "resolve a registry URI first, e.g. with tracker.registry().resolve(uri)");
    }
    return of(Path.of(packageUri));
  }

  /**
   * Scoring with the package file at {@code packageFile}, read with {@code options}: its bytes are
   * read once (at most {@link LoadOptions#maxBytes()}) and verified on the driver.
   *
   * @throws NotFoundException if there is no such file
   * @throws dev.mlops.core.IntegrityException naming the file of the package that was changed
   * @throws InvalidInputException if the package is over the limits, names a class outside the
   *     allow-list, or predicts something other than labels or regression values
   */
  public static SparkScoring of(Path packageFile, LoadOptions options) {
    Objects.requireNonNull(packageFile, "packageFile");
    Objects.requireNonNull(options, "options");
    if (!options.protoFiles().isEmpty()) {
      throw new InvalidInputException("load options with extra proto files cannot be sent to Spark executors; "
          + "score a package of Tribuo's own message types");
    }
    byte[] bytes = read(packageFile, options.maxBytes());
    String label = packageFile.toString();
    try (ModelPackage pkg = ModelPackage.read(new ByteArrayInputStream(bytes), label, options)) {
      String type = pkg.signature().outputType();
      boolean classifier = type.equals(Label.class.getName());
      if (!classifier && !type.equals(Regressor.class.getName())) {
        throw new InvalidInputException("package " + pkg.name() + " " + pkg.version() + " predicts " + type
            + "; Spark scoring writes labels (" + Label.class.getName() + ") and regression values ("
            + Regressor.class.getName() + ")");
      }
      Predictor<?> predictor = pkg.predictor();
      String digest = pkg.digest().toString();
      return new SparkScoring(new PackagedModel(bytes, label, digest, options), digest,
          pkg.name() + " " + pkg.version(), pkg.signature().inputs().fields(), classifier,
          pkg.signature().outputDomain(), classifier && predictor.hasScores(), false, "prediction");
    }
  }

  private static byte[] read(Path file, long maxBytes) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new NotFoundException("no package file at " + file.toAbsolutePath() + "; give the path of a .mlpkg file");
      }
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new InvalidInputException("package " + file + " holds " + size + " bytes, over the limit of " + maxBytes
            + "; raise LoadOptions.maxBytes if the package is trusted");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StoreUnavailableException("cannot read package " + file + ": " + e.getMessage()
          + "; check that the file is readable", e);
    }
  }

  /** The same scoring, failing the job on the first row that breaks the signature instead of writing its error. */
  public SparkScoring failFast() {
    return new SparkScoring(model, digest, name, inputs, classifier, outputs, scores, true, prefix);
  }

  /**
   * The same scoring, naming the added columns {@code column}, {@code column_error} and, for
   * class scores, {@code score_<label>} as before (default {@code prediction}).
   *
   * @throws InvalidInputException if the name is blank
   */
  public SparkScoring predictionColumn(String column) {
    if (column == null || column.isBlank()) {
      throw new InvalidInputException("the prediction column needs a name; got '" + column + "'");
    }
    return new SparkScoring(model, digest, name, inputs, classifier, outputs, scores, failFast, column);
  }

  /** The package digest verified on the driver ({@code sha256:…}), the one every executor checks. */
  public String digest() {
    return digest;
  }

  /** The names of the columns {@link #transform} adds, in order. */
  public List<String> addedColumns() {
    List<String> added = new ArrayList<>();
    if (classifier) {
      added.add(prefix);
      if (scores) {
        outputs.forEach(label -> added.add("score_" + label));
      }
    } else if (outputs.size() == 1) {
      added.add(prefix);
    } else {
      outputs.forEach(dimension -> added.add(prefix + "_" + dimension));
    }
    added.add(prefix + "_error");
    return added;
  }

  /**
   * {@code data} with the prediction columns added (lazily, as Spark transformations are).
   *
   * @throws InvalidInputException on the driver, before any task, naming the required inputs the
   *     data lacks, a column whose type the signature does not accept, or an added column's name
   *     that the data already has
   */
  public Dataset<Row> transform(Dataset<Row> data) {
    Objects.requireNonNull(data, "data");
    StructType schema = data.schema();
    List<String> columns = Arrays.asList(schema.fieldNames());
    List<String> missing = new ArrayList<>();
    List<Field> present = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (Field f : inputs) {
      if (!columns.contains(f.name())) {
        if (f.required()) {
          missing.add(f.name());
        }
        continue;
      }
      StructField column = schema.apply(f.name());
      if (!accepts(f.type(), column.dataType())) {
        throw new InvalidInputException("column '" + f.name() + "' is Spark " + column.dataType().simpleString()
            + " but package " + name + " takes " + f.type().jsonName() + "; cast it in Spark");
      }
      present.add(f);
      positions.add(columns.indexOf(f.name()));
    }
    if (!missing.isEmpty()) {
      throw new InvalidInputException("the data lacks the required inputs " + missing + " of package " + name
          + "; its columns are " + columns);
    }
    StructType out = schema;
    List<String> added = addedColumns();
    for (int i = 0; i < added.size(); i++) {
      String column = added.get(i);
      if (columns.contains(column)) {
        throw new InvalidInputException("the data already has a column '" + column + "'; drop it or choose "
            + "another name with predictionColumn(…)");
      }
      boolean error = i == added.size() - 1;
      boolean label = classifier && i == 0;
      out = out.add(column, error || label ? DataTypes.StringType : DataTypes.DoubleType, true);
    }
    JavaSparkContext context = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
    Broadcast<PackagedModel> shared = context.broadcast(model);
    ScoringTask task = new ScoringTask(shared, present, positions.stream().mapToInt(Integer::intValue).toArray(),
        classifier, outputs, scores, failFast);
    return data.mapPartitions(task, Encoders.row(out));
  }

  /** The Spark types a signature's input accepts: the predictor's rules, with Spark's decimal as a double. */
  private static boolean accepts(FieldType type, DataType spark) {
    boolean integral = spark instanceof ByteType || spark instanceof ShortType || spark instanceof IntegerType
        || spark instanceof LongType;
    return switch (type) {
      case DOUBLE -> integral || spark instanceof FloatType || spark instanceof DoubleType || spark instanceof DecimalType;
      case LONG -> integral;
      case BOOLEAN -> spark instanceof BooleanType;
      case STRING -> spark instanceof StringType;
    };
  }

  @Override
  public String toString() {
    return "SparkScoring[" + name + (failFast ? ", fail fast" : "") + "]";
  }
}
