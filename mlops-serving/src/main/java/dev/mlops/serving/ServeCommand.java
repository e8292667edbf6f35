package dev.mlops.serving;

import dev.mlops.core.InvalidInputException;
import dev.mlops.core.MlopsException;
import dev.mlops.tracking.ModelUri;
import dev.mlops.tracking.Tracker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Serves a model over HTTP from the command line until the process is stopped (Ctrl-C or
 * SIGTERM, which drain running requests first).
 *
 * <pre>{@code
 * java -cp ... dev.mlops.serving.ServeCommand --package iris.mlpkg --port 8080
 * java -cp ... dev.mlops.serving.ServeCommand --tracking sqlite:mlops/mlops.db --model models:/iris@champion
 * curl -H 'Content-Type: application/json' \
 *      -d '{"dataframe_split":{"columns":["sepal_length","sepal_width","petal_length","petal_width"],
 *           "data":[[5.1,3.5,1.4,0.2]]}}' http://127.0.0.1:8080/invocations
 * }</pre>
 *
 * <p>Exit status: 0 after a clean shutdown, 2 for a wrong command line, 1 when the model cannot
 * be served.
 */
public final class ServeCommand {
  private static final String PACKAGE = "package";
  private static final String CHAMPION = "champion";
  private static final String CHALLENGER = "challenger";

  private ServeCommand() {}

  /** Runs the command; see the class description and {@code --help}. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(ServeOptions.USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    ServeOptions options;
    try {
      options = ServeOptions.parse(args);
    } catch (InvalidInputException e) {
      System.err.println(e.getMessage());
      System.err.println(ServeOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      ModelService service = service(options);
      ScoringServer server = serve(service, options, System.out);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        service.close();
      }, "mlops-serve-shutdown"));
      server.awaitShutdown();
    } catch (MlopsException e) {
      System.err.println("cannot serve: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * The service the options describe. A registry URI is followed in the tracking store named by
   * {@code --tracking}, which the service closes when it closes. A package file is served under
   * the URI {@code models:/<package name>@champion}; a challenger file given with it, under
   * {@code @challenger}.
   */
  static ModelService service(ServeOptions options) {
    if (options.packageFile().isEmpty()) {
      return registryService(options);
    }
    ModelSource champion = ModelSource.ofPackage(options.packageFile().get());
    Optional<ModelSource> challenger = options.shadow().or(options::canary).map(f -> ModelSource.ofPackage(Path.of(f)));
    ModelSource source = uri -> CHALLENGER.equals(uri.alias()) ? challenger.orElseThrow().resolve(uri) : champion.resolve(uri);
    String name = champion.resolve(ModelUri.alias(PACKAGE, CHAMPION)).name();
    String base = isUriName(name) ? name : PACKAGE;
    ModelService.Builder b = ModelService.builder(source, ModelUri.alias(base, CHAMPION).toString())
        .pollEvery(options.pollInterval());
    String challengerUri = ModelUri.alias(base, CHALLENGER).toString();
    options.shadow().ifPresent(f -> b.shadow(challengerUri));
    options.canary().ifPresent(f -> b.canary(challengerUri, options.canaryShare()).seed(options.seed()));
    return b.build();
  }

  /** The service of a registry URI in the tracking store the options name; it closes the store when it closes. */
  private static ModelService registryService(ServeOptions options) {
    Tracker tracker = Tracker.open(options.tracking().orElseThrow());
    try {
      ModelService.Builder b = ModelService.builder(tracker, options.model().orElseThrow())
          .pollEvery(options.pollInterval())
          .closing(tracker);
      options.shadow().ifPresent(b::shadow);
      options.canary().ifPresent(uri -> b.canary(uri, options.canaryShare()).seed(options.seed()));
      return b.build();
    } catch (RuntimeException e) {
      tracker.close();
      throw e;
    }
  }

  private static boolean isUriName(String name) {
    try {
      ModelUri.alias(name, CHAMPION);
      return true;
    } catch (InvalidInputException e) {
      return false;
    }
  }

  /** Starts the server and says where it listens. */
  static ScoringServer serve(ModelService service, ServeOptions options, PrintStream out) {
    ScoringServer server = ScoringServer.builder(service)
        .host(options.host())
        .port(options.port())
        .threads(options.threads())
        .maxConcurrentRequests(options.maxConcurrentRequests())
        .maxBodyBytes(options.maxBodyBytes())
        .start();
    ServedModel m = service.current();
    out.println("serving " + m.name() + " version " + m.version() + " (" + m.packageDigest() + ") at "
        + server.uri().resolve("/invocations"));
    return server;
  }
}
