package dev.mlops.packaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.io.ByteSource;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.Digest;
import dev.mlops.core.Environment;
import dev.mlops.core.FeatureImportance;
import dev.mlops.core.Frame;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.Names;
import dev.mlops.core.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Output;
import org.tribuo.Tribuo;
import org.tribuo.provenance.ModelProvenance;

/**
 * One {@code .mlpkg} file that carries a trained Tribuo model from the notebook to production:
 * the model in Tribuo's protobuf format, its provenance, its {@link ModelSignature}, an input
 * example, the environment it was built in, its lineage and any other artifacts, each listed
 * with its SHA-256 in a manifest whose digest names the whole. The model and the JSON files are
 * held in memory, while artifacts stay in files and are checked against their SHA-256 whenever
 * they are read or written, so a file changed underneath is an {@link IntegrityException}, never
 * a different package. A package just built reads its artifacts from their own files. A package
 * that was read owns the package file it verified: it holds it open (a package read from a
 * stream, a private copy of it), so deleting the path or moving another file onto it changes
 * nothing; {@link #close()} releases the file.
 *
 * <p>The same inputs give the same bytes on any machine, in any time zone and folder, at any
 * time and in any order of adding artifacts: the creation time, the one field outside the digest,
 * is by default the model's training time from its provenance, or {@code SOURCE_DATE_EPOCH} when
 * that is set, as reproducible builds do. Reading verifies everything before trusting anything:
 * a zip in any but the canonical layout, unsafe names and sizes over the limits are refused
 * before any content is read, every file's SHA-256 and the package digest are checked, and the
 * model is deserialized only if every class it names is on the loader's allow-list ({@link
 * LoadOptions}).
 *
 * <pre>{@code
 * ModelPackage pkg = ModelPackage.builder("churn")
 *     .version("3")
 *     .model(model)                                   // signature inferred from the model
 *     .inputExample(frame.slice(0, 5))
 *     .artifact("thresholds.json", Path.of("thresholds.json"))
 *     .metadata("team", "risk")
 *     .lineage(runId, "churn", Map.of("accuracy", 0.93))
 *     .build();
 * pkg.writeTo(Path.of("churn.mlpkg"));
 *
 * try (ModelPackage loaded = ModelPackage.read(Path.of("churn.mlpkg"))) {
 *   loaded.digest();                                  // sha256:…, equal to pkg.digest()
 *   Prediction<Label> p = loaded.predictor(Label.class).predict(Map.of("tenure", 12.0, "spend", 80.5));
 * }
 * }</pre>
 */
public final class ModelPackage implements AutoCloseable {
  private final PackageManifest manifest;
  private final PackageEntry manifestEntry;
  private final ImmutableSortedMap<String, PackageEntry> entries;
  private final Model<?> model;
  private final ModelSignature signature;
  private final Environment environment;
  private final Lineage lineage;
  private final Frame inputExample;
  private final FeatureImportance importance;
  /** The package file a read package holds open, or null for a package just built. */
  private final PackageData data;

  ModelPackage(
      PackageManifest manifest,
      PackageEntry manifestEntry,
      ImmutableSortedMap<String, PackageEntry> entries,
      Model<?> model,
      ModelSignature signature,
      Environment environment,
      Lineage lineage,
      Frame inputExample,
      FeatureImportance importance,
      PackageData data) {
    this.manifest = manifest;
    this.manifestEntry = manifestEntry;
    this.entries = entries;
    this.model = model;
    this.signature = signature;
    this.environment = environment;
    this.lineage = lineage;
    this.inputExample = inputExample;
    this.importance = importance;
    this.data = data;
  }

  /** A builder for a package of this name (a key by MLflow's rules: letters, digits, {@code _-./: }). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Reads and verifies a package with {@link LoadOptions#defaults()}. Every entry is streamed
   * once through its checks; the model and the JSON files are then held in memory, while the
   * artifacts and the ONNX model are served from the file, which the package holds open until
   * {@link #close()}: the path may be deleted or another file moved onto it meanwhile. (Writing
   * new bytes into the same file, in place, is detected when an artifact is read.)
   *
   * @throws NotFoundException if there is no such file
   * @throws IntegrityException naming the file that was changed, added or removed
   * @throws InvalidInputException for unsafe zip entries, a package over the limits, or a class
   *     outside the allow-list
   */
  public static ModelPackage read(Path file) {
    return read(file, LoadOptions.defaults());
  }

  /** Reads and verifies a package with these options; see {@link #read(Path)}. */
  public static ModelPackage read(Path file, LoadOptions options) {
    return PackageReader.read(file, options);
  }

  /**
   * Reads and verifies a package from a stream, such as a download or a store's blob, with these
   * options. The bytes (at most {@link LoadOptions#maxBytes()} of them) are held in memory up to
   * 1 MiB and otherwise copied into a private temporary file that the package owns and removes, so
   * large artifacts are served without holding them in memory. The stream is read to its end but
   * not closed.
   *
   * @param label how messages name the package, such as its URI
   * @throws IntegrityException naming the file that was changed, added or removed
   * @throws InvalidInputException for unsafe zip entries, a package over the limits, or a class
   *     outside the allow-list
   */
  public static ModelPackage read(java.io.InputStream in, String label, LoadOptions options) {
    return PackageReader.read(in, label, options);
  }

  /**
   * Releases the package file a read package holds open (and removes a private copy); the
   * artifacts and the ONNX model cannot be read after that, while the model, signature and
   * metadata stay usable. Does nothing for a package just built. Idempotent.
   */
  @Override
  public void close() {
    if (data != null) {
      data.close();
    }
  }

  /**
   * Writes the package's canonical bytes to {@code file}, replacing it, through a temporary file
   * in the same folder so that a failure leaves no partial package behind. Artifacts are copied
   * from where they are kept (their own files for a package just built, the package file for one
   * that was read) and checked against their size and CRC-32 on the way; the SHA-256 of every
   * file is verified by whoever reads the package.
   *
   * @throws IntegrityException naming the artifact if its file changed since {@link Builder#build()}
   *     (or the package file since {@link #read(Path)}); nothing is written then
   * @throws NotFoundException naming the artifact if its file (or the package file) is gone
   */
  public void writeTo(Path file) {
    Path target = file.toAbsolutePath();
    Path folder = target.getParent();
    Path temp = null;
    try {
      Files.createDirectories(folder);
      temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
      try (ChannelOutput out = ChannelOutput.open(temp)) {
        PackageZip.write(out, manifestEntry, entries.values());
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the package to '" + file + "'", e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // The move has either happened or failed; a left-over temporary file is harmless.
        }
      }
    }
  }

  /**
   * The package file's bytes, exactly as {@link #writeTo(Path)} writes them, in memory; prefer
   * {@link #writeTo(Path)} for packages with large artifacts.
   *
   * @throws IntegrityException as {@link #writeTo(Path)} does
   * @throws InvalidInputException if the package is too large for a byte array
   */
  public byte[] toBytes() {
    return PackageZip.toBytes(manifestEntry, entries.values());
  }

  /** Every entry but the manifest, by path. */
  SortedMap<String, PackageEntry> entries() {
    return entries;
  }

  /** The model's name. */
  public String name() {
    return manifest.name();
  }

  /** The model's version. */
  public String version() {
    return manifest.version();
  }

  /** The package digest: the SHA-256 of the manifest without its creation time; it names the content. */
  public Digest digest() {
    return manifest.packageDigest();
  }

  /** The manifest. */
  public PackageManifest manifest() {
    return manifest;
  }

  /** The signature predictions are checked against. */
  public ModelSignature signature() {
    return signature;
  }

  /** The model's Tribuo provenance: trainer, its configuration, the data it was trained on. */
  public ModelProvenance provenance() {
    return model.getProvenance();
  }

  /** The environment the package was built in: Java, operating system, architecture and class-path jars. */
  public Environment environment() {
    return environment;
  }

  /** The run and experiment the model came from, when the package records them. */
  public Optional<Lineage> lineage() {
    return Optional.ofNullable(lineage);
  }

  /**
   * The extra artifacts by their path below {@code artifacts/}, sorted. They are not held in
   * memory: each read opens the artifact where the package keeps it (its own file for a package
   * just built, the package file a read package holds open until {@link #close()}), and a stream
   * read to its end throws {@link IntegrityException} if the bytes no longer match the manifest.
   */
  public SortedMap<String, ByteSource> artifacts() {
    ImmutableSortedMap.Builder<String, ByteSource> b = ImmutableSortedMap.naturalOrder();
    entries.forEach(
        (path, entry) -> {
          if (path.startsWith(PackageLayout.ARTIFACTS)) {
            b.put(path.substring(PackageLayout.ARTIFACTS.length()), entry.content());
          }
        });
    return b.build();
  }

  /** The model in ONNX format ({@code model/model.onnx}), when the package was built with {@link Builder#onnx(String)}. */
  public Optional<ByteSource> onnxModel() {
    return Optional.ofNullable(entries.get(PackageLayout.ONNX)).map(PackageEntry::content);
  }

  /** The input example, when the package has one. */
  public Optional<Frame> inputExample() {
    return Optional.ofNullable(inputExample);
  }

  /**
   * The model's global feature importance ({@code explanations/importance.json}), when the
   * package was built with {@link Builder#importance(FeatureImportance)}.
   */
  public Optional<FeatureImportance> importance() {
    return Optional.ofNullable(importance);
  }

  /** The Tribuo model. */
  public Model<?> model() {
    return model;
  }

  /**
   * A predictor for this output type that enforces the signature.
   *
   * @throws InvalidInputException if the model predicts another output type
   */
  public <T extends Output<T>> Predictor<T> predictor(Class<T> outputType) {
    if (!model.validate(outputType)) {
      throw new InvalidInputException(
          "package " + name() + " " + version() + " predicts " + signature.outputType() + ", not "
              + outputType.getName() + "; ask for predictor(" + TribuoOutputs.outputClass(model).getSimpleName() + ".class)");
    }
    @SuppressWarnings("unchecked")
    Model<T> typed = (Model<T>) model;
    return new Predictor<>(typed, signature);
  }

  /**
   * A predictor for the model's own output type (the signature's {@code outputType}), for
   * callers such as a scoring server that serve any package without knowing its type.
   */
  public Predictor<?> predictor() {
    return Predictor.ofAnyModel(model, signature);
  }

  @Override
  public String toString() {
    return "ModelPackage[" + name() + " " + version() + ", " + digest() + "]";
  }

  /**
   * Builds a {@link ModelPackage}. Artifact files are hashed when {@link #build()} runs and
   * copied when the package is written, never held in memory, so they must not change in
   * between: a changed file makes {@link ModelPackage#writeTo(Path)} fail naming it, with nothing
   * written. Nothing is written until {@link ModelPackage#writeTo(Path)}.
   *
   * <pre>{@code
   * ModelPackage pkg = ModelPackage.builder("churn").version("3").model(model)
   *     .environmentVariables(Map.of("SOURCE_DATE_EPOCH", "1767225600"))   // or the model's training time by default
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";
    private final String name;
    private String version;
    private Model<?> model;
    private ModelSignature signature;
    private Frame inputExample;
    private final Map<String, Path> artifacts = new LinkedHashMap<>();
    private final Map<String, String> folded = new java.util.HashMap<>();
    private final Map<String, String> metadata = new TreeMap<>();
    private Lineage lineage;
    private FeatureImportance importance;
    private String onnxDomain;
    private Environment environment;
    private Clock clock;
    private Map<String, String> variables;

    private Builder(String name) {
      this.name = Names.checkKey("model name", name);
    }

    /** The model's version (required). */
    public Builder version(String version) {
      if (version == null || version.isBlank()) {
        throw new InvalidInputException("a package version must not be empty; got '" + version + "'");
      }
      this.version = version;
      return this;
    }

    /** The trained Tribuo model (required). */
    public Builder model(Model<?> model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /** The signature; when not given, it is {@linkplain ModelSignature#infer inferred} from the model. */
    public Builder signature(ModelSignature signature) {
      this.signature = Objects.requireNonNull(signature, "signature");
      return this;
    }

    /** A few rows the model must be able to predict; used to smoke-test loading and to check reproduction. */
    public Builder inputExample(Frame example) {
      this.inputExample = Objects.requireNonNull(example, "example");
      return this;
    }

    /**
     * Adds a file, stored as {@code artifacts/<pathInPackage>}. The file is hashed at {@link
     * #build()} and copied at {@link ModelPackage#writeTo(Path)}; it must not change in between.
     *
     * @throws InvalidInputException if the path is not a normalised relative path or is taken
     */
    public Builder artifact(String pathInPackage, Path file) {
      Names.checkKey("artifact", pathInPackage);
      ZipDirectory.unsafe(PackageLayout.ARTIFACTS + pathInPackage).ifPresent(why -> {
        throw new InvalidInputException("artifact path '" + pathInPackage + "' " + why + "; use a relative path such as 'docs/notes.txt'");
      });
      String clash = folded.putIfAbsent(ZipDirectory.fold(pathInPackage), pathInPackage);
      if (clash != null && !clash.equals(pathInPackage)) {
        throw new InvalidInputException(
            "artifact '" + pathInPackage + "' differs from artifact '" + clash + "' only in letter case or Unicode"
                + " normalisation, so the two would overwrite each other when extracted; give it another path");
      }
      if (artifacts.putIfAbsent(pathInPackage, Objects.requireNonNull(file, "file")) != null) {
        throw new InvalidInputException("artifact '" + pathInPackage + "' was added twice; give each artifact its own path");
      }
      return this;
    }

    /** Adds a metadata entry (a later value for the same key replaces the earlier). */
    public Builder metadata(String key, String value) {
      Names.checkKey("metadata", key);
      metadata.put(key, Names.checkTagValue(key, Objects.requireNonNull(value, "value")));
      return this;
    }

    /** Records the run that trained the model, its experiment and the run's metrics. */
    public Builder lineage(String runId, String experiment, Map<String, ? extends Number> metrics) {
      Map<String, Double> values = new TreeMap<>();
      metrics.forEach((k, v) -> values.put(Names.checkKey("metric", k), v.doubleValue()));
      this.lineage = new Lineage(runId, experiment, values);
      return this;
    }

    /**
     * Records the model's global feature importance as {@code explanations/importance.json},
     * digested like every entry. Every feature it names must be an input of the signature. The
     * explain module computes one: {@code ExplainedPackage.importance(builder, frame,
     * "label")} measures permutation importance on a frame and records it here.
     *
     * @throws InvalidInputException at {@link #build()} if the importance names a feature that
     *     is not an input of the signature
     */
    public Builder importance(FeatureImportance importance) {
      this.importance = Objects.requireNonNull(importance, "importance");
      return this;
    }

    /**
     * Also stores the model in ONNX format as {@code model/model.onnx}, for serving outside the
     * JVM. The ONNX model version is the package version when that is a number, else 0.
     *
     * @param domain the ONNX model's domain, a reverse-DNS name such as {@code com.example.churn}
     * @throws InvalidInputException at {@link #build()} if the model cannot be exported to ONNX
     */
    public Builder onnx(String domain) {
      if (domain == null || domain.isBlank()) {
        throw new InvalidInputException("an ONNX domain must not be empty; use a reverse-DNS name such as 'com.example.churn'");
      }
      this.onnxDomain = domain;
      return this;
    }

    /**
     * The environment to record; by default the current one is captured. Host, user and git
     * state are never recorded: a package describes what the model needs, not who built it
     * where, so the same inputs give the same bytes on any machine of the same set-up.
     */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * The clock the creation time is read from, instead of the default: {@code SOURCE_DATE_EPOCH}
     * when set, else the model's training time, so that rebuilding gives the same bytes.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The environment variables {@code SOURCE_DATE_EPOCH} is read from (by default the
     * process's): whole seconds since 1970 that fix the creation time, as reproducible builds set it.
     */
    public Builder environmentVariables(Map<String, String> variables) {
      this.variables = Map.copyOf(variables);
      return this;
    }

    /**
     * Builds the package: the model and the JSON files in memory, the artifacts hashed (SHA-256
     * and CRC-32 in one pass, large ones side by side on short-lived threads) and left in their
     * files.
     *
     * @throws InvalidInputException if the version or model is missing, the signature does not
     *     fit the model, or the input example cannot be predicted
     * @throws NotFoundException if an artifact file does not exist
     */
    public ModelPackage build() {
      if (version == null) {
        throw new InvalidInputException("package " + name + " needs a version; call version(\"1\")");
      }
      if (model == null) {
        throw new InvalidInputException("package " + name + " needs a model; call model(trainedModel)");
      }
      ModelSignature inferred = ModelSignature.infer(model);
      ModelSignature sig = signature == null ? inferred : signature;
      if (!sig.outputType().equals(inferred.outputType())) {
        throw new InvalidInputException(
            "the signature's output type " + sig.outputType() + " does not match the model's " + inferred.outputType());
      }
      checkCovers(sig, model);
      if (inputExample != null) {
        try {
          Predictor.ofAnyModel(model, sig).predict(inputExample);
        } catch (InvalidInputException e) {
          throw new InvalidInputException("the input example does not fit the signature: " + e.getMessage(), e);
        }
      }
      // A package records no host, user or git state, so none is looked up (git alone is several processes).
      Environment env = environment == null ? Environment.captureRuntime() : packagedEnvironment(environment);
      SortedMap<String, PackageEntry> files = new TreeMap<>();
      putBytes(files, PackageLayout.MODEL, modelBytes(model));
      putBytes(files, PackageLayout.PROVENANCE, ProvenanceJson.toBytes(model.getProvenance()));
      putBytes(files, PackageLayout.SIGNATURE, CanonicalJson.toBytes(sig.toJsonNode()));
      putBytes(files, PackageLayout.ENVIRONMENT, environmentBytes(env));
      if (inputExample != null) {
        putBytes(files, PackageLayout.INPUT_EXAMPLE, InputExampleJson.toBytes(inputExample));
      }
      if (lineage != null) {
        putBytes(files, PackageLayout.LINEAGE, CanonicalJson.toBytes(lineage));
      }
      if (importance != null) {
        checkImportance(sig, importance);
        putBytes(files, PackageLayout.IMPORTANCE, importance.toJsonBytes());
      }
      if (onnxDomain != null) {
        putBytes(files, PackageLayout.ONNX, onnxBytes(model, onnxDomain, version));
      }
      List<Map.Entry<String, Path>> sources = List.copyOf(artifacts.entrySet());
      long total = sources.stream().mapToLong(e -> sizeOrZero(e.getValue())).sum();
      ParallelHashing.map(
              sources, total, () -> ByteBuffer.allocateDirect(Checksums.BUFFER_SIZE),
              (e, buffer) -> PackageEntry.ofFile(PackageLayout.ARTIFACTS + e.getKey(), e.getValue(), buffer))
          .forEach(e -> files.put(e.path(), e));
      PackageManifest manifest =
          PackageManifest.create(
              name,
              version,
              createdAt(),
              model.getClass().getName(),
              sig.outputType(),
              metadata,
              files.values().stream().map(PackageEntry::file).toList());
      return new ModelPackage(
          manifest, PackageEntry.ofBytes(PackageManifest.PATH, manifest.toBytes()), ImmutableSortedMap.copyOf(files),
          model, sig, env, lineage, inputExample, importance, null);
    }

    /**
     * The creation time: the clock's when one was given, else {@code SOURCE_DATE_EPOCH}, else the
     * model's training time; never the wall clock by default, so that two builds of the same
     * model are the same bytes.
     */
    private java.time.Instant createdAt() {
      if (clock != null) {
        return clock.instant();
      }
      String epoch = variables == null ? System.getenv(SOURCE_DATE_EPOCH) : variables.get(SOURCE_DATE_EPOCH);
      if (epoch != null && !epoch.isBlank()) {
        try {
          return java.time.Instant.ofEpochSecond(Long.parseLong(epoch.strip()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
          throw new InvalidInputException(
              SOURCE_DATE_EPOCH + " must be whole seconds since 1970-01-01T00:00:00Z, such as 1767225600; got '" + epoch + "'", e);
        }
      }
      return model.getProvenance().getTrainingTime().toInstant();
    }

    /** Only to decide whether to hash on several threads; a missing file is reported when it is hashed. */
    private static long sizeOrZero(Path file) {
      try {
        return Files.size(file);
      } catch (IOException e) {
        return 0;
      }
    }

    private static void putBytes(Map<String, PackageEntry> files, String path, byte[] bytes) {
      files.put(path, PackageEntry.ofBytes(path, bytes));
    }

    /** Every feature the model knows must come from some input, or predictions would silently lack it. */
    private static void checkCovers(ModelSignature sig, Model<?> model) {
      for (org.tribuo.VariableInfo feature : model.getFeatureIDMap()) {
        String name = feature.getName();
        boolean covered = sig.inputs().fields().stream().anyMatch(f -> f.type().isNumeric()
            ? sig.featureName(f.name()).equals(name)
            : name.startsWith(f.name() + Predictor.ONE_HOT_SEPARATOR));
        if (!covered) {
          throw new InvalidInputException(
              "the model's feature '" + name + "' is not an input of the signature " + sig.inputs().names()
                  + "; add a double input '" + name + "', or let the signature be inferred");
        }
      }
    }

    private static void checkImportance(ModelSignature sig, FeatureImportance importance) {
      List<String> unknown = importance.names().stream().filter(n -> !sig.inputs().contains(n)).toList();
      if (!unknown.isEmpty()) {
        throw new InvalidInputException("the importance names " + unknown + ", which are not inputs of the signature "
            + sig.inputs().names() + "; measure it on a frame with the signature's columns");
      }
    }

    private static Environment packagedEnvironment(Environment e) {
      return new Environment(
          e.javaVersion(), e.javaVendor(), e.osName(), e.osVersion(), e.arch(), null, null, null, e.dependencies());
    }

    private static byte[] environmentBytes(Environment env) {
      ObjectNode node = (ObjectNode) CanonicalJson.toTree(env);
      node.put(PackageLayout.TRIBUO_VERSION, Tribuo.VERSION);
      return CanonicalJson.toBytes(node);
    }

    private static byte[] modelBytes(Model<?> model) {
      return deterministicBytes(model.serialize());
    }

    private static byte[] onnxBytes(Model<?> model, String domain, String version) {
      if (!(model instanceof ONNXExportable exportable)) {
        throw new InvalidInputException(
            "a " + model.getClass().getSimpleName() + " cannot be exported to ONNX; leave out onnx(…) or use a model"
                + " that implements Tribuo's ONNXExportable, such as a linear SGD model");
      }
      long onnxVersion = version.chars().allMatch(Character::isDigit) && version.length() < 19 ? Long.parseLong(version) : 0;
      return deterministicBytes(exportable.exportONNXModel(domain, onnxVersion));
    }

    private static byte[] deterministicBytes(MessageLite message) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        // Map fields are written in key order, so equal models give equal bytes.
        coded.useDeterministicSerialization();
        message.writeTo(coded);
        coded.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot serialize the model in memory", e);
      }
      return out.toByteArray();
    }
  }
}
