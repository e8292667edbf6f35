package dev.mlops.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.mlops.core.Digest;
import dev.mlops.core.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;

/**
 * Re-creates a packaged model from its provenance and says whether the result is the same
 * model: rebuild the trainer and the data source from the OLCUT configuration the provenance
 * records (restoring the trainer's invocation count, so its random state matches), check that
 * the data file's SHA-256 still equals the recorded {@code resource-hash}, retrain, and compare
 * the predictions on the input example (or on the training data when there is none) and the
 * provenance, timestamps aside.
 *
 * <p>Every class the provenance's configuration names must be on the allow-list of the
 * {@link LoadOptions} (Tribuo's classes by default) before it is instantiated.
 *
 * <pre>{@code
 * ReproductionReport report = Reproduction.of(ModelPackage.read(Path.of("churn.mlpkg"))).run();
 * switch (report.status()) {
 *   case REPRODUCED -> log.info("reproduced");
 *   case DATA_CHANGED -> log.warn("data changed: {} -> {}", report.recordedHash(), report.currentHash());
 *   case NOT_REPRODUCIBLE -> log.warn("not reproducible: {}", report.reason());
 * }
 * }</pre>
 */
public final class Reproduction {
  private static final Logger LOG = LoggerFactory.getLogger(Reproduction.class);
  private static final String RESOURCE_HASH = "resource-hash";
  private static final String DATE_TIME_PROVENANCE = "com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance";
  // Values that describe the machine rather than the model; a difference is reported, not fatal.
  private static final Set<String> MACHINE_KEYS = Set.of("java-version", "os-name", "os-arch", "tribuo-version");

  private final ModelPackage pkg;
  private final LoadOptions options;

  private Reproduction(ModelPackage pkg, LoadOptions options) {
    this.pkg = Objects.requireNonNull(pkg, "pkg");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A reproduction of this package allowing Tribuo's classes only. */
  public static Reproduction of(ModelPackage pkg) {
    return new Reproduction(pkg, LoadOptions.defaults());
  }

  /** A copy that instantiates only classes these options allow. */
  public Reproduction withOptions(LoadOptions loadOptions) {
    return new Reproduction(pkg, loadOptions);
  }

  /** Rebuilds, retrains and compares; never throws for a model that cannot be reproduced, but reports why. */
  public ReproductionReport run() {
    ModelProvenance provenance = pkg.provenance();
    TrainerProvenance trainerProvenance = provenance.getTrainerProvenance();
    DatasetProvenance datasetProvenance = provenance.getDatasetProvenance();
    DataProvenance source = datasetProvenance.getSourceProvenance();
    if (!(source instanceof ConfiguredObjectProvenance sourceConfig)) {
      return ReproductionReport.notReproducible(
          "unsupported data source: the model was trained on data from " + source.getClassName()
              + ", which records no configuration to reload it from (an in-memory data set); train from a"
              + " configurable data source such as CSVDataSource to make the model reproducible");
    }
    if (!datasetProvenance.getTransformationProvenance().getList().isEmpty()) {
      return ReproductionReport.notReproducible(
          "the training data set was transformed after loading, which reproduction does not replay");
    }
    Optional<String> dataFile = value(sourceConfig, "dataPath");
    Optional<HashProvenance> recorded = hashOf(sourceConfig);
    if (dataFile.isEmpty() || recorded.isEmpty()) {
      return ReproductionReport.notReproducible(
          "unsupported data source: " + source.getClassName() + " records no data file with a " + RESOURCE_HASH);
    }
    if (recorded.get().getType() != ProvenanceUtil.HashType.SHA256) {
      return ReproductionReport.notReproducible(
          "the " + RESOURCE_HASH + " of '" + dataFile.get() + "' is a " + recorded.get().getType()
              + " hash; only SHA-256 hashes are compared");
    }
    Path file = Path.of(dataFile.get());
    if (!Files.isRegularFile(file)) {
      return ReproductionReport.notReproducible("the training data '" + file + "' no longer exists");
    }
    Digest recordedHash = Digest.parse(Digest.PREFIX + recorded.get().getValue());
    Digest currentHash = Digest.ofFile(file);
    if (!recordedHash.equals(currentHash)) {
      return ReproductionReport.dataChanged(file.toString(), recordedHash, currentHash);
    }
    ProvenanceUtil.ProvenanceOrdering ordering = ProvenanceUtil.orderProvenances(provenance);
    List<ConfigurationData> configuration = ProvenanceUtil.extractConfigurationFromOrdering(ordering);
    for (ConfigurationData c : configuration) {
      if (!options.allows(c.getClassName())) {
        return ReproductionReport.notReproducible(
            "the provenance configures " + c.getClassName() + ", which the allow-list "
                + options.allowedClassPrefixes() + " does not allow");
      }
    }
    if (!datasetProvenance.getClassName().equals(MutableDataset.class.getName())) {
      return ReproductionReport.notReproducible(
          "the data set was a " + datasetProvenance.getClassName() + "; only a MutableDataset is rebuilt");
    }
    Model<?> retrained;
    ConfigurationManager cm = new ConfigurationManager();
    try {
      cm.addConfiguration(configuration);
      Trainer<?> trainer = (Trainer<?>) cm.lookup(nameIn(ordering, trainerProvenance));
      restoreInvocationCounts(cm, ordering);
      DataSource<?> dataSource = (DataSource<?>) cm.lookup(nameIn(ordering, sourceConfig));
      retrained = trainAny(trainer, dataSource);
    } catch (RuntimeException e) {
      LOG.debug("retraining from provenance failed", e);
      return ReproductionReport.notReproducible("retraining from the provenance failed: " + e);
    } finally {
      cm.close();
    }
    return compare(retrained, file.toString(), currentHash);
  }

  /**
   * Sets every trainer the provenance records — the outer one and any inside it, such as an
   * ensemble's members — to the invocation count it had, so each random state matches.
   */
  private static void restoreInvocationCounts(ConfigurationManager cm, ProvenanceUtil.ProvenanceOrdering ordering) {
    for (ConfiguredObjectProvenance p : ordering.traversalOrder) {
      if (p instanceof TrainerProvenance tp) {
        Provenance count = tp.getInstanceValues().get(TrainerProvenance.TRAIN_INVOCATION_COUNT);
        if (count instanceof IntProvenance i) {
          ((Trainer<?>) cm.lookup(nameIn(ordering, tp))).setInvocationCount(i.getValue());
        }
      }
    }
  }

  /** The configuration name OLCUT gave this provenance's object when extracting the configuration. */
  private static String nameIn(ProvenanceUtil.ProvenanceOrdering ordering, ConfiguredObjectProvenance p) {
    Integer index = ordering.provenanceTracker.get(p);
    if (index == null) {
      throw new IllegalStateException("the provenance holds no configuration for " + p.getClassName());
    }
    return ProvenanceUtil.computeName(p, index);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Model<?> trainAny(Trainer<?> trainer, DataSource<?> source) {
    Dataset dataset = new MutableDataset(source);
    return ((Trainer) trainer).train(dataset);
  }

  private ReproductionReport compare(Model<?> retrained, String dataFile, Digest hash) {
    Optional<Frame> example = pkg.inputExample();
    List<? extends Prediction<?>> original;
    List<? extends Prediction<?>> again;
    if (example.isPresent()) {
      original = Predictor.ofAnyModel(pkg.model(), pkg.signature()).predict(example.get());
      again = Predictor.ofAnyModel(retrained, pkg.signature()).predict(example.get());
    } else {
      Dataset<?> data = trainingData(retrained);
      original = predictAll(pkg.model(), data);
      again = predictAll(retrained, data);
    }
    Optional<ReproductionReport> different = firstDifference(original, again, dataFile, hash);
    if (different.isPresent()) {
      return different.get();
    }
    List<String> differences = new ArrayList<>();
    diff("", withoutTimestamps(ProvenanceJson.toTree(pkg.provenance())), withoutTimestamps(ProvenanceJson.toTree(retrained.getProvenance())), differences);
    List<String> modelDifferences = differences.stream().filter(d -> !isMachineKey(d)).toList();
    if (!modelDifferences.isEmpty()) {
      return new ReproductionReport(
          ReproductionReport.Status.NOT_REPRODUCIBLE,
          "the retrained model predicts the same but its provenance differs in " + modelDifferences.size() + " value(s)",
          dataFile, hash, hash, -1, modelDifferences);
    }
    String where = example.isPresent() ? "the " + original.size() + " rows of the input example" : "the training data";
    String machine = differences.isEmpty() ? "" : "; the machine differs as listed";
    return ReproductionReport.reproduced(
        "retraining from the provenance gave the same predictions on " + where + " and the same provenance" + machine,
        dataFile, hash, differences);
  }

  /** A report naming the first row whose outputs or scores differ, if any does. */
  static Optional<ReproductionReport> firstDifference(
      List<? extends Prediction<?>> original, List<? extends Prediction<?>> again, String dataFile, Digest hash) {
    for (int i = 0; i < original.size(); i++) {
      String a = describe(original.get(i));
      String b = describe(again.get(i));
      if (!a.equals(b)) {
        return Optional.of(new ReproductionReport(
            ReproductionReport.Status.NOT_REPRODUCIBLE,
            "different predictions: row " + i + " was " + a + " but the retrained model predicts " + b,
            dataFile, hash, hash, i, List.of()));
      }
    }
    return Optional.empty();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<? extends Prediction<?>> predictAll(Model<?> model, Dataset<?> data) {
    return ((Model) model).predict((Dataset) data);
  }

  /** The retrained model's training data, loaded again through its provenance's configuration. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Dataset<?> trainingData(Model<?> retrained) {
    ConfigurationManager cm = new ConfigurationManager();
    try {
      ProvenanceUtil.ProvenanceOrdering ordering = ProvenanceUtil.orderProvenances(retrained.getProvenance());
      cm.addConfiguration(ProvenanceUtil.extractConfigurationFromOrdering(ordering));
      DataProvenance source = retrained.getProvenance().getDatasetProvenance().getSourceProvenance();
      return new MutableDataset((DataSource) cm.lookup(nameIn(ordering, (ConfiguredObjectProvenance) source)));
    } finally {
      cm.close();
    }
  }

  private static String describe(Prediction<?> p) {
    StringBuilder s = new StringBuilder(p.getOutput().getSerializableForm(true));
    if (p.hasProbabilities()) {
      s.append(" ").append(new java.util.TreeMap<>(p.getOutputScores()).entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue().getSerializableForm(true)).toList());
    }
    return s.toString();
  }

  private static Optional<String> value(ConfiguredObjectProvenance p, String key) {
    for (Iterator<Pair<String, Provenance>> it = p.iterator(); it.hasNext(); ) {
      Pair<String, Provenance> e = it.next();
      if (e.getA().equals(key)) {
        return Optional.of(e.getB().toString());
      }
    }
    return Optional.empty();
  }

  private static Optional<HashProvenance> hashOf(ConfiguredObjectProvenance p) {
    for (Iterator<Pair<String, Provenance>> it = p.iterator(); it.hasNext(); ) {
      Pair<String, Provenance> e = it.next();
      if (e.getA().equals(RESOURCE_HASH) && e.getB() instanceof HashProvenance h) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /** The marshalled provenance with every date-time value removed. */
  private static JsonNode withoutTimestamps(JsonNode node) {
    JsonNode copy = node.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node.isObject()) {
      List<String> drop = new ArrayList<>();
      node.properties().forEach(e -> {
        if (DATE_TIME_PROVENANCE.equals(e.getValue().path("provenance-class").asText())) {
          drop.add(e.getKey());
        } else {
          strip(e.getValue());
        }
      });
      drop.forEach(((com.fasterxml.jackson.databind.node.ObjectNode) node)::remove);
    } else if (node.isArray()) {
      node.forEach(Reproduction::strip);
    }
  }

  private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
    if (a.isObject() && b.isObject()) {
      java.util.TreeSet<String> keys = new java.util.TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        diff(path + "/" + k, a.path(k), b.path(k), out);
      }
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        diff(path + "/" + i, a.get(i), b.get(i), out);
      }
    } else if (!a.equals(b)) {
      out.add(path + ": " + a + " -> " + b);
    }
  }

  private static boolean isMachineKey(String difference) {
    return MACHINE_KEYS.stream().anyMatch(k -> difference.contains("/" + k + "/"));
  }
}
