package dev.mlops.cli;

import dev.mlops.core.InvalidInputException;
import dev.mlops.serving.ModelService;
import dev.mlops.serving.ModelSource;
import dev.mlops.serving.ScoringServer;
import dev.mlops.serving.ServedModel;
import dev.mlops.tracking.ModelUri;
import dev.mlops.tracking.Tracker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mlops serve}: a package file or a registered model over HTTP until the process is
 * stopped (Ctrl-C or SIGTERM drain running requests first).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serve a model over HTTP: POST /invocations (MLflow's JSON), GET /health, GET /metrics.",
      "Either --package FILE, or --model models:/NAME@ALIAS (or models:/NAME/VERSION) in the store of --tracking;",
      "a registry alias is followed: when it moves, the service swaps models without dropping a request."
    })
final class ServeCommand implements Callable<Integer> {
  private static final String CHAMPION = "champion";
  private static final String CHALLENGER = "challenger";
  private static final String PACKAGE_MODEL_NAME = "package";

  /** What to serve: one of the two. */
  static final class Source {
    @Option(names = "--package", paramLabel = "FILE", required = true, description = "A .mlpkg file to serve.")
    Path packageFile;

    @Option(names = "--model", paramLabel = "URI", required = true, description = "A registry URI: models:/NAME@ALIAS or models:/NAME/VERSION.")
    String model;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Mixin TrackingOptions tracking;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port to listen on; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--shadow", paramLabel = "MODEL", description = "A challenger that answers every request in the shadow: a .mlpkg file with --package, a registry URI with --model.")
  String shadow;

  @Option(names = "--canary", paramLabel = "MODEL", description = "A challenger that answers a share of the requests (see --canary-share); not with --shadow.")
  String canary;

  @Option(names = "--canary-share", paramLabel = "X", defaultValue = "0.1", description = "The canary's share of requests, between 0 and 1 (default ${DEFAULT-VALUE}).")
  double canaryShare;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "The seed of the canary's routing (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--poll-seconds", paramLabel = "S", defaultValue = "30", description = "How often to check whether the alias moved; 0 never (default ${DEFAULT-VALUE}).")
  double pollSeconds;

  @Option(names = "--threads", paramLabel = "N", description = "Request threads (default: the server's).")
  Integer threads;

  @Option(names = "--max-concurrent", paramLabel = "N", description = "Requests running or queued before the server answers 503 (default: the server's).")
  Integer maxConcurrent;

  @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "1048576", description = "The largest request body (default ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Spec CommandSpec spec;

  /** A started server with what it serves; closing it stops the server, the service and the store. */
  static final class Serving implements AutoCloseable {
    private final List<AutoCloseable> resources;
    final ModelService service;
    final ScoringServer server;

    private Serving(List<AutoCloseable> resources, ModelService service, ScoringServer server) {
      this.resources = resources;
      this.service = service;
      this.server = server;
    }

    @Override
    public void close() {
      RuntimeException failure = null;
      for (int i = resources.size() - 1; i >= 0; i--) {
        try {
          resources.get(i).close();
        } catch (Exception e) {
          if (failure == null) {
            failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Serving serving = start(spec.commandLine().getOut());
    Runtime.getRuntime().addShutdownHook(new Thread(serving::close, "mlops-serve-shutdown"));
    serving.server.awaitShutdown();
    return 0;
  }

  /** Checks the options, opens what they name, starts the server and says where it listens. */
  Serving start(PrintWriter out) {
    checkOptions();
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      ModelService service;
      if (source.packageFile != null) {
        service = packageService();
      } else {
        Tracker tracker = tracking.open();
        resources.add(tracker);
        service = challengers(ModelService.builder(tracker, source.model), shadow, canary).build();
      }
      resources.add(service);
      ScoringServer.Builder server = ScoringServer.builder(service).host(host).port(port).maxBodyBytes(maxBodyBytes);
      if (threads != null) {
        server.threads(threads);
      }
      if (maxConcurrent != null) {
        server.maxConcurrentRequests(maxConcurrent);
      }
      ScoringServer started = server.start();
      resources.add(started);
      ServedModel m = service.current();
      out.println("serving " + m.name() + " version " + m.version() + " (" + m.packageDigest() + ") at "
          + started.uri().resolve("/invocations"));
      out.flush();
      return new Serving(resources, service, started);
    } catch (RuntimeException e) {
      new Serving(resources, null, null).close();
      throw e;
    }
  }

  private void checkOptions() {
    if (shadow != null && canary != null) {
      throw new ParameterException(spec.commandLine(), "give --shadow or --canary, not both");
    }
    if (!(canaryShare >= 0 && canaryShare <= 1)) {
      throw new ParameterException(spec.commandLine(), "--canary-share must be between 0 and 1; got " + canaryShare);
    }
    if (!(pollSeconds >= 0) || Double.isInfinite(pollSeconds)) {
      throw new ParameterException(spec.commandLine(), "--poll-seconds must be 0 or more; got " + pollSeconds);
    }
    if (source.packageFile != null && spec.commandLine().getParseResult().hasMatchedOption("--tracking")) {
      throw new ParameterException(spec.commandLine(), "--tracking goes with --model, not with --package");
    }
    if (source.model != null) {
      try {
        ModelUri.parse(source.model);
      } catch (InvalidInputException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
    }
  }

  /**
   * A package file is served under {@code models:/<package name>@champion}; a challenger file
   * given with it under {@code @challenger}, from its own file.
   */
  private ModelService packageService() {
    ModelSource champion = ModelSource.ofPackage(source.packageFile);
    String challengerFile = shadow != null ? shadow : canary;
    ModelSource challenger = challengerFile == null ? champion : ModelSource.ofPackage(Path.of(challengerFile));
    ModelSource both = uri -> CHALLENGER.equals(uri.alias()) ? challenger.resolve(uri) : champion.resolve(uri);
    String name = uriName(champion.resolve(ModelUri.alias(PACKAGE_MODEL_NAME, CHAMPION)).name());
    String challengerUri = challengerFile == null ? null : ModelUri.alias(name, CHALLENGER).toString();
    ModelService.Builder b = ModelService.builder(both, ModelUri.alias(name, CHAMPION).toString());
    return challengers(b, shadow == null ? null : challengerUri, canary == null ? null : challengerUri).build();
  }

  private ModelService.Builder challengers(ModelService.Builder b, String shadowUri, String canaryUri) {
    b.pollEvery(Duration.ofMillis(Math.round(pollSeconds * 1000)));
    if (shadowUri != null) {
      b.shadow(shadowUri);
    }
    if (canaryUri != null) {
      b.canary(canaryUri, canaryShare).seed(seed);
    }
    return b;
  }

  /** The package's name when a registry URI can carry it, else a neutral one. */
  private static String uriName(String packageName) {
    try {
      ModelUri.alias(packageName, CHAMPION);
      return packageName;
    } catch (InvalidInputException e) {
      return PACKAGE_MODEL_NAME;
    }
  }
}
