package dev.mlops.tracking.internal;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.mlops.core.Digest;
import dev.mlops.core.Field;
import dev.mlops.core.FieldType;
import dev.mlops.core.Names;
import dev.mlops.core.Schema;
import dev.mlops.tracking.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.evaluation.Evaluation;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link Run#logTribuo} records from a Tribuo model: the trainer's class and configured
 * fields (its seed among them) as {@code trainer.*} params, the training data's provenance as
 * {@code data.*} params and a data set input, an evaluation's metrics, and the full provenance,
 * in OLCUT's JSON form, as the artifact {@code tribuo/provenance.json}.
 */
public final class TribuoAutolog {
  private static final Logger LOG = LoggerFactory.getLogger(TribuoAutolog.class);
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern NOT_KEY_CHAR = Pattern.compile("[^\\w.\\- /:]", Pattern.UNICODE_CHARACTER_CLASS);
  // OLCUT's bookkeeping fields: the class is logged as `.class` already.
  private static final Set<String> SKIPPED_FIELDS = Set.of("class-name", "host-short-name");
  /** The artifact path of the provenance JSON. */
  public static final String PROVENANCE_ARTIFACT = "tribuo/provenance.json";
  /** The name of the training data set input. */
  public static final String DATASET_NAME = "training-data";

  private TribuoAutolog() {}

  /** Logs the model's provenance, and the evaluation's metrics when there is one. */
  public static void log(Run run, Model<?> model, Evaluation<?> evaluation) {
    ModelProvenance provenance = model.getProvenance();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("trainer.class", provenance.getTrainerProvenance().getClassName());
    flatten("trainer", provenance.getTrainerProvenance(), params, true);
    DatasetProvenance data = provenance.getDatasetProvenance();
    DataProvenance source = data.getSourceProvenance();
    params.put("data.source", className(source));
    params.put("data.num-examples", Integer.toString(data.getNumExamples()));
    params.put("data.num-features", Integer.toString(data.getNumFeatures()));
    params.put("data.num-outputs", Integer.toString(data.getNumOutputs()));
    Optional<String> resourceHash = find(source, "resource-hash");
    resourceHash.ifPresent(h -> params.put("data.resource-hash", h));
    flatten("data.source", source, params, false);
    params.remove("data.source.resource-hash");
    run.params(valid(params));

    Digest digest = resourceHash.filter(h -> SHA256_HEX.matcher(h).matches())
        .map(h -> new Digest(h.toLowerCase(Locale.ROOT)))
        .orElseGet(() -> Digest.of(String.valueOf(source)));
    run.dataset(DATASET_NAME, digest, featureSchema(model.getFeatureIDMap()), "training");

    if (evaluation != null) {
      run.metrics(metrics(evaluation), 0);
    }
    String json = new JsonProvenanceSerialization(true).serializeToString(ProvenanceUtil.marshalProvenance(provenance));
    run.text(PROVENANCE_ARTIFACT, json);
  }

  private static String className(Provenance p) {
    return p instanceof ObjectProvenance o ? o.getClassName() : p.getClass().getName();
  }

  // Configured fields become params; nested objects (an optimiser, an objective) only when
  // `nested`, so the data source's processing pipeline stays in the JSON artifact.
  private static void flatten(String prefix, Provenance p, Map<String, String> out, boolean nested) {
    if (!(p instanceof ObjectProvenance object)) {
      return;
    }
    for (Pair<String, Provenance> field : object) {
      String key = prefix + "." + field.getA();
      Provenance value = field.getB();
      if (SKIPPED_FIELDS.contains(field.getA())) {
        continue;
      }
      if (value instanceof ObjectProvenance inner) {
        if (nested) {
          out.put(key + ".class", inner.getClassName());
          flatten(key, inner, out, true);
        }
      } else if (value instanceof PrimitiveProvenance<?> primitive) {
        out.put(key, String.valueOf(primitive.getValue()));
      } else if (nested) {
        out.put(key, String.valueOf(value));
      }
    }
  }

  private static Optional<String> find(Provenance p, String name) {
    if (p instanceof ObjectProvenance object) {
      for (Pair<String, Provenance> field : object) {
        if (field.getA().equals(name) && field.getB() instanceof PrimitiveProvenance<?> primitive) {
          return Optional.of(String.valueOf(primitive.getValue()));
        }
        Optional<String> nested = find(field.getB(), name);
        if (nested.isPresent()) {
          return nested;
        }
      }
    }
    return Optional.empty();
  }

  // Provenance can hold names or values outside MLflow's rules; those stay in the JSON artifact.
  private static Map<String, String> valid(Map<String, String> params) {
    Map<String, String> kept = new LinkedHashMap<>();
    params.forEach((k, v) -> {
      if (Names.isValidKey(k) && v != null && v.length() <= Names.MAX_PARAM_VALUE_LENGTH) {
        kept.put(k, v);
      } else {
        LOG.debug("provenance field {} is not a valid param; it is kept in {} only", k, PROVENANCE_ARTIFACT);
      }
    });
    return kept;
  }

  private static Schema featureSchema(ImmutableFeatureMap features) {
    List<Field> fields = new ArrayList<>(features.size());
    for (int i = 0; i < features.size(); i++) {
      fields.add(Field.of(features.get(i).getName(), FieldType.DOUBLE));
    }
    return Schema.of(fields);
  }

  private static Map<String, Double> metrics(Evaluation<?> evaluation) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (evaluation instanceof LabelEvaluation labels) {
      metrics.put("accuracy", labels.accuracy());
      metrics.put("macro_f1", labels.macroAveragedF1());
      metrics.put("macro_precision", labels.macroAveragedPrecision());
      metrics.put("macro_recall", labels.macroAveragedRecall());
      for (Label label : labels.getConfusionMatrix().getDomain().getDomain()) {
        String name = metricName(label.getLabel());
        metrics.put("precision/" + name, labels.precision(label));
        metrics.put("recall/" + name, labels.recall(label));
        metrics.put("f1/" + name, labels.f1(label));
      }
    } else if (evaluation instanceof RegressionEvaluation regression) {
      metrics.put("rmse", regression.averageRMSE());
      metrics.put("mae", regression.averageMAE());
      metrics.put("r2", regression.averageR2());
      for (Map.Entry<Regressor, Double> e : regression.rmse().entrySet()) {
        if (e.getKey().size() == 1) {
          String name = metricName(e.getKey().getNames()[0]);
          metrics.put("rmse/" + name, e.getValue());
          metrics.put("mae/" + name, regression.mae(e.getKey()));
          metrics.put("r2/" + name, regression.r2(e.getKey()));
        }
      }
    } else {
      LOG.info("evaluations of type {} are not logged as metrics; only classification and regression are",
          evaluation.getClass().getName());
    }
    Map<String, Double> valid = new LinkedHashMap<>();
    metrics.forEach((k, v) -> {
      if (Names.isValidKey(k)) {
        valid.put(k, v);
      }
    });
    return valid;
  }

  private static String metricName(String label) {
    String cleaned = NOT_KEY_CHAR.matcher(label).replaceAll("_").replace("/", "_");
    return cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..") ? "_" : cleaned;
  }
}
