/**
 * Reproducible model packages: one {@code .mlpkg} file that carries a trained Tribuo model from
 * the notebook to production, proves it has not been changed, and can prove how it was made.
 *
 * <p>Start from {@link dev.mlops.packaging.ModelPackage}: build one with {@code
 * ModelPackage.builder(name)}, write it with {@code writeTo}, open it with {@code
 * ModelPackage.read}. From a package, {@link dev.mlops.packaging.ModelPackage#predictor(Class)}
 * gives a {@link dev.mlops.packaging.Predictor} that enforces the {@link
 * dev.mlops.packaging.ModelSignature}, and {@link dev.mlops.packaging.Reproduction} retrains the
 * model from its provenance and reports whether it was {@linkplain
 * dev.mlops.packaging.ReproductionReport reproduced}. The {@code mlops} command line
 * ({@code mlops verify}, {@code mlops show}) reads packages from a shell.
 *
 * <pre>{@code
 * ModelPackage pkg = ModelPackage.builder("iris").version("1").model(model).inputExample(rows).build();
 * pkg.writeTo(Path.of("iris.mlpkg"));
 * Prediction<Label> p = ModelPackage.read(Path.of("iris.mlpkg")).predictor(Label.class).predict(row);
 * }</pre>
 *
 * <p>The file is a zip of {@code manifest.json} (name, version, every file's SHA-256 and size,
 * and the package digest), {@code model/model.tribuo} (Tribuo's protobuf format), {@code
 * model/provenance.json}, optionally {@code model/model.onnx}, {@code signature.json}, {@code input_example.json}, {@code
 * environment.json}, {@code lineage.json} and {@code artifacts/…}. Entries are sorted, stored
 * uncompressed, and carry one fixed time, so equal content gives equal bytes.
 */
package dev.mlops.packaging;
