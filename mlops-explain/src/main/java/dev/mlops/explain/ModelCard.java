package dev.mlops.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.AtomicFile;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Column;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameBuilder;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NumericColumn;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.Check;
import dev.mlops.monitoring.CheckReport;
import dev.mlops.monitoring.ClassificationQuality;
import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.monitoring.DriftReport;
import dev.mlops.monitoring.Profile;
import dev.mlops.monitoring.RegressionQuality;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.packaging.ReproductionReport;
import dev.mlops.tracking.DatasetInput;
import dev.mlops.tracking.Metric;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * A model card (Mitchell et al., 2019) for one registered model version, as JSON and as one
 * self-contained HTML page: what the model is (name, version, description and intended use from
 * the registry, tags, aliases), its training data (digests and schemas of the run's data sets,
 * and a profile summary when the data is given), the run's params and metrics, the evaluation
 * per class and per slice when an evaluation frame is given, the signature, the global importance
 * as a chart, the lineage (data → run → package → version → aliases), the reproduction status,
 * and the latest drift and quality reports: those given to the builder, else the latest ones
 * logged as JSON artifacts on the version's run (as the tracking server's monitoring page finds
 * them), with the drifted columns' statistics and each quality condition's outcome. Immutable.
 *
 * <p>The issue's {@code ModelCard.of(registry, uri)} takes the {@link Tracker} here: the registry
 * alone holds no run's params and metrics. The intended use is the version's tag {@code
 * intended_use}, else the registered model's. The importance is the package's recorded one
 * ({@code explanations/importance.json}); without one, the permutation importance on the
 * evaluation frame when one is given, else the model's own ({@link Importance#ofModel}) where
 * Tribuo exposes it.
 *
 * <pre>{@code
 * ModelCard card = ModelCard.builder(tracker, "models:/iris@champion")
 *     .trainingData(train).evaluation(test, "species").slices("region")
 *     .drift(driftReport).build();
 * card.writeHtml(Path.of("iris-card.html"));
 * String json = card.toJson();
 * String html = ModelCard.of(tracker, "models:/iris@champion").toHtml();   // for a notebook
 * }</pre>
 */
public final class ModelCard {
  /** The version tag, or registered-model tag, read as the intended use. */
  public static final String INTENDED_USE_TAG = "intended_use";
  /** At most this many distinct values of a slice column are evaluated, so a card stays small. */
  public static final int MAX_SLICE_VALUES = 50;

  private final ObjectNode json;

  private ModelCard(ObjectNode json) {
    this.json = json;
  }

  /** The card of a registered version with what the tracker knows: no evaluation, profile or reports. */
  public static ModelCard of(Tracker tracker, String uri) {
    return builder(tracker, uri).build();
  }

  /** A builder for the card of the version {@code uri} names ({@code models:/name/3}, {@code models:/name@alias}). */
  public static Builder builder(Tracker tracker, String uri) {
    return new Builder(tracker, uri);
  }

  /** The model's name. */
  public String name() {
    return json.path("model").path("name").asText();
  }

  /** The version number. */
  public int version() {
    return json.path("model").path("version").asInt();
  }

  /** The importance shown on the card, when there is one. */
  public Optional<FeatureImportance> importance() {
    JsonNode node = json.path("importance");
    return node.isObject() ? Optional.of(FeatureImportance.fromJson(CanonicalJson.toString(node))) : Optional.empty();
  }

  /** The card as canonical JSON. */
  public String toJson() {
    return CanonicalJson.toString(json);
  }

  /** The card as one HTML page with no external script, font or style sheet; every value escaped. */
  public String toHtml() {
    return ModelCardHtml.render(json);
  }

  /** Writes {@link #toHtml()} to a file through a temporary file in the same folder, so no reader sees half a page. */
  public void writeHtml(Path file) {
    AtomicFile.writeString(file, toHtml(), "the model card");
  }

  @Override
  public String toString() {
    return "ModelCard[" + name() + " " + version() + "]";
  }

  /**
   * Collects what a card shows beyond the registry's records. {@link #build()} reads the registry,
   * loads and verifies the package once, and computes the evaluation; the builder may be reused.
   */
  public static final class Builder {
    private final Tracker tracker;
    private final String uri;
    private Frame trainingData;
    private Frame evaluation;
    private String outputColumn;
    private final Set<String> slices = new LinkedHashSet<>();
    private DriftReport drift;
    private CheckReport quality;
    private ReproductionReport reproduction;
    private Clock clock = Clock.systemUTC();

    private Builder(Tracker tracker, String uri) {
      this.tracker = Objects.requireNonNull(tracker, "tracker");
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /** The training data, summarised column by column from its profile. */
    public Builder trainingData(Frame frame) {
      this.trainingData = Objects.requireNonNull(frame, "frame");
      return this;
    }

    /** Labelled data to evaluate the model on: metrics overall, per class, and per slice. */
    public Builder evaluation(Frame frame, String outputColumn) {
      this.evaluation = Objects.requireNonNull(frame, "frame");
      this.outputColumn = Objects.requireNonNull(outputColumn, "outputColumn");
      return this;
    }

    /** Columns of the evaluation frame whose values slice the evaluation, such as {@code region}. */
    public Builder slices(String... columns) {
      for (String c : columns) {
        slices.add(Objects.requireNonNull(c, "column"));
      }
      return this;
    }

    /** The latest drift report of the deployed model. */
    public Builder drift(DriftReport report) {
      this.drift = Objects.requireNonNull(report, "report");
      return this;
    }

    /** The latest quality check of the deployed model. */
    public Builder quality(CheckReport report) {
      this.quality = Objects.requireNonNull(report, "report");
      return this;
    }

    /** The result of reproducing the model ({@code Reproduction.of(pkg).run()}). */
    public Builder reproduction(ReproductionReport report) {
      this.reproduction = Objects.requireNonNull(report, "report");
      return this;
    }

    /** The clock the card's creation time is read from (the system clock by default). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the card.
     *
     * @throws dev.mlops.core.NotFoundException if the URI names no registered version
     * @throws InvalidInputException if a slice column is not in the evaluation frame, or slices
     *     are given without one
     */
    public ModelCard build() {
      if (!slices.isEmpty() && evaluation == null) {
        throw new InvalidInputException("slices " + slices + " slice the evaluation; give one with evaluation(frame, "
            + "outputColumn)");
      }
      ModelVersion v = tracker.registry().resolve(uri);
      RegisteredModel registered = tracker.registry().model(v.modelName());
      Optional<RunRecord> run = v.runId().map(tracker::getRun);
      ObjectNode card = CanonicalJson.object();
      card.put("generatedAt", Instant.now(clock).toString());
      card.put("uri", uri);
      ObjectNode model = card.putObject("model");
      model.put("name", v.modelName()).put("version", v.version()).put("uri", v.uri());
      model.put("description", v.description().isEmpty() ? registered.description() : v.description());
      model.put("intendedUse", v.tags().getOrDefault(INTENDED_USE_TAG, registered.tags().getOrDefault(INTENDED_USE_TAG, "")));
      v.aliases().forEach(model.putArray("aliases")::add);
      ObjectNode tags = model.putObject("tags");
      registered.tags().forEach(tags::put);
      v.tags().forEach(tags::put);
      model.put("registeredAt", Instant.ofEpochMilli(v.creationTime()).toString());
      try (ModelPackage pkg = tracker.registry().load(v)) {
        ObjectNode p = card.putObject("package");
        p.put("digest", pkg.digest().toString()).put("modelClass", pkg.manifest().modelClass())
            .put("createdAt", pkg.manifest().createdAt().toString())
            .put("java", pkg.environment().javaVersion());
        card.set("signature", pkg.signature().toJsonNode());
        trainingData(card, v, run);
        run.ifPresent(r -> runSection(card, r));
        FeatureImportance importance = importance(pkg);
        if (importance != null) {
          card.set("importance", CanonicalJson.parse(importance.toJson()));
        }
        if (evaluation != null) {
          card.set("evaluation", evaluate(pkg));
        }
      }
      lineage(card, v, run);
      if (reproduction != null) {
        card.putObject("reproduction").put("status", reproduction.status().name()).put("reason", reproduction.reason());
      }
      reports(card, run);
      return new ModelCard(card);
    }

    // The reports given to the builder, else the latest ones logged on the version's run.
    private void reports(ObjectNode card, Optional<RunRecord> run) {
      CardReports.Logged logged = run.filter(r -> drift == null || quality == null)
          .map(r -> CardReports.logged(tracker, r))
          .orElse(new CardReports.Logged(Optional.empty(), Optional.empty()));
      if (drift != null) {
        card.set("drift", CardReports.drift(CanonicalJson.parse(drift.toJson()), drift.summary()));
      } else {
        logged.drift().ifPresent(found -> {
          ObjectNode d = CardReports.drift(found.body(), null);
          CardReports.source(d, found);
          card.set("drift", d);
        });
      }
      if (quality != null) {
        card.set("quality", CardReports.quality(CanonicalJson.parse(quality.toJson())));
      } else {
        logged.quality().ifPresent(found -> {
          ObjectNode q = CardReports.quality(found.body());
          CardReports.source(q, found);
          card.set("quality", q);
        });
      }
    }

    private void trainingData(ObjectNode card, ModelVersion v, Optional<RunRecord> run) {
      ObjectNode data = card.putObject("trainingData");
      ArrayNode sets = data.putArray("datasets");
      List<DatasetInput> datasets = v.datasets().isEmpty() ? run.map(RunRecord::datasets).orElse(List.of()) : v.datasets();
      for (DatasetInput d : datasets) {
        ObjectNode o = sets.addObject().put("name", d.name()).put("digest", d.digest().toString()).put("context", d.context());
        d.schemaIfKnown().ifPresent(s -> o.set("schema", s.toJsonNode()));
      }
      if (trainingData != null) {
        Profile profile = Profile.of(trainingData);
        data.put("rows", profile.rowCount());
        ArrayNode columns = data.putArray("profile");
        for (String name : profile.columnNames()) {
          ColumnProfile c = profile.column(name);
          ObjectNode o = columns.addObject().put("column", name).put("numeric", c.isNumeric())
              .put("count", c.count()).put("missing", c.missing());
          if (c.isNumeric()) {
            c.mean().ifPresent(m -> o.put("mean", m));
            c.variance().ifPresent(var -> o.put("std", Math.sqrt(var)));
            c.min().ifPresent(m -> o.put("min", m));
            c.max().ifPresent(m -> o.put("max", m));
          } else {
            o.put("categories", c.categories().size());
          }
        }
      }
    }

    private static void runSection(ObjectNode card, RunRecord r) {
      ObjectNode o = card.putObject("run");
      o.put("id", r.runId()).put("name", r.name()).put("experimentId", r.experimentId()).put("status", r.status().name());
      ObjectNode params = o.putObject("params");
      r.params().forEach(params::put);
      ObjectNode metrics = o.putObject("metrics");
      for (Map.Entry<String, Metric> m : r.metrics().entrySet()) {
        double value = m.getValue().value();
        if (Double.isFinite(value)) {
          metrics.put(m.getKey(), value);
        } else {
          metrics.put(m.getKey(), Double.toString(value));
        }
      }
    }

    private FeatureImportance importance(ModelPackage pkg) {
      if (pkg.importance().isPresent()) {
        return pkg.importance().get();
      }
      if (evaluation != null) {
        return Importance.permutation(pkg.predictor(), evaluation, outputColumn);
      }
      try {
        return Importance.ofModel(pkg);
      } catch (InvalidInputException e) {
        return null;
      }
    }

    private ObjectNode evaluate(ModelPackage pkg) {
      for (String s : slices) {
        if (!evaluation.hasColumn(s)) {
          throw new InvalidInputException("slice column '" + s + "' is not in the evaluation frame " + evaluation.columnNames());
        }
      }
      List<? extends Prediction<?>> predictions = pkg.predictor().predict(evaluation);
      Frame scored = withPredictions(evaluation, predictions);
      ObjectNode o = CanonicalJson.object();
      o.put("outputColumn", outputColumn);
      o.set("overall", quality(scored));
      ObjectNode bySlice = o.putObject("slices");
      for (String s : slices) {
        ObjectNode values = bySlice.putObject(s);
        Column column = scored.column(s);
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < scored.rowCount() && seen.size() < MAX_SLICE_VALUES; i++) {
          Object value = column.value(i);
          seen.add(value == null ? "" : value.toString());
        }
        for (String value : seen) {
          Frame slice = scored.filter(i -> {
            Object x = column.value(i);
            return (x == null ? "" : x.toString()).equals(value);
          });
          values.set(value, quality(slice));
        }
      }
      return o;
    }

    private static final String PREDICTION = "prediction";

    private Frame withPredictions(Frame frame, List<? extends Prediction<?>> predictions) {
      List<Field> fields = new ArrayList<>(frame.schema().fields());
      boolean regression = !predictions.isEmpty() && predictions.get(0).getOutput() instanceof Regressor;
      String name = frame.hasColumn(PREDICTION) ? PREDICTION + "_" : PREDICTION;
      fields.add(Field.of(name, regression ? FieldType.DOUBLE : FieldType.STRING));
      FrameBuilder b = Frame.builder(Schema.of(fields));
      for (Column c : frame.columns()) {
        if (c instanceof NumericColumn n) {
          b.column(c.name(), n.toArray());
        } else {
          b.column(c.name(), ((dev.mlops.core.CategoricalColumn) c).toArray());
        }
      }
      if (regression) {
        b.column(name, predictions.stream().mapToDouble(p -> ((Regressor) p.getOutput()).getValues()[0]).toArray());
      } else {
        b.column(name, predictions.stream().map(p -> ((Label) p.getOutput()).getLabel()).toArray(String[]::new));
      }
      return b.build();
    }

    private ObjectNode quality(Frame scored) {
      String name = scored.columnNames().get(scored.columnCount() - 1);
      Frame pair = scored.select(outputColumn, name);
      CheckReport report = Check.between(pair, pair).target(outputColumn).prediction(name).run();
      ObjectNode o = CanonicalJson.object();
      o.put("rows", scored.rowCount());
      Optional<ClassificationQuality> c = report.currentClassification();
      Optional<RegressionQuality> r = report.currentRegression();
      if (c.isPresent()) {
        ClassificationQuality q = c.get();
        o.put("accuracy", q.accuracy()).put("precisionMacro", q.precisionMacro()).put("recallMacro", q.recallMacro())
            .put("f1Macro", q.f1Macro());
        ObjectNode perClass = o.putObject("perClass");
        for (String label : q.classes()) {
          perClass.putObject(label).put("precision", q.precision().get(label)).put("recall", q.recall().get(label))
              .put("f1", q.f1().get(label));
        }
      } else if (r.isPresent()) {
        o.put("mae", r.get().mae()).put("rmse", r.get().rmse()).put("r2", r.get().r2());
      }
      return o;
    }

    private static void lineage(ObjectNode card, ModelVersion v, Optional<RunRecord> run) {
      ArrayNode chain = card.putArray("lineage");
      for (DatasetInput d : v.datasets()) {
        chain.addObject().put("kind", "data").put("id", d.digest().toString()).put("label", d.name());
      }
      run.ifPresent(r -> chain.addObject().put("kind", "run").put("id", r.runId()).put("label", r.name()));
      chain.addObject().put("kind", "package").put("id", v.packageDigest().toString()).put("label", v.modelName());
      chain.addObject().put("kind", "version").put("id", v.uri()).put("label", "version " + v.version());
      for (String alias : v.aliases()) {
        chain.addObject().put("kind", "alias").put("id", "models:/" + v.modelName() + "@" + alias).put("label", alias);
      }
    }
  }
}
