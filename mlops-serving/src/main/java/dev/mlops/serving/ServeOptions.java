package dev.mlops.serving;

import dev.mlops.core.InvalidInputException;
import dev.mlops.tracking.ModelUri;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of {@link ServeCommand}, read into values. A model comes either from a
 * package file ({@code --package}) or from a registry alias ({@code --tracking} with
 * {@code --model}); the rest tunes the server and the challenger.
 */
record ServeOptions(
    Optional<Path> packageFile,
    Optional<String> tracking,
    Optional<String> model,
    String host,
    int port,
    int threads,
    int maxConcurrentRequests,
    long maxBodyBytes,
    Duration pollInterval,
    Optional<String> shadow,
    Optional<String> canary,
    double canaryShare,
    long seed) {

  static final String USAGE = String.join("\n",
      "usage: serve --package FILE [options]",
      "       serve --tracking STORE --model models:/NAME@ALIAS [options]",
      "",
      "  --package FILE          serve this .mlpkg file (a new file moved over it is picked up)",
      "  --tracking STORE        the tracking store holding the model registry, e.g. sqlite:mlops/mlops.db",
      "  --model URI             the registry URI to follow, models:/NAME@ALIAS or models:/NAME/VERSION",
      "  --host HOST             address to listen on (default 127.0.0.1)",
      "  --port PORT             port to listen on (default 8080)",
      "  --threads N             request threads (default: processors, at least 2)",
      "  --max-concurrent N      requests running or queued before 503 (default 256)",
      "  --max-body-bytes N      largest request body (default 1048576)",
      "  --poll-seconds S        how often to check whether the alias moved (default 30; 0 = never)",
      "  --shadow URI|FILE       run this challenger in shadow (a package file with --package)",
      "  --canary URI|FILE       let this challenger answer a share of the requests",
      "  --canary-share X        the canary's share, between 0 and 1 (default 0.1)",
      "  --seed N                the canary routing seed (default 0)");

  private static final List<String> FLAGS = List.of("--package", "--tracking", "--model", "--host", "--port",
      "--threads", "--max-concurrent", "--max-body-bytes", "--poll-seconds", "--shadow", "--canary",
      "--canary-share", "--seed");

  /**
   * Reads {@code --flag value} pairs.
   *
   * @throws InvalidInputException naming the flag or value that is wrong
   */
  static ServeOptions parse(String... args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String flag = args[i];
      if (!FLAGS.contains(flag)) {
        throw new InvalidInputException("unknown option '" + flag + "'; the options are " + FLAGS);
      }
      if (i + 1 >= args.length) {
        throw new InvalidInputException("option " + flag + " needs a value");
      }
      if (given.put(flag, args[i + 1]) != null) {
        throw new InvalidInputException("option " + flag + " is given twice");
      }
    }
    Optional<Path> pkg = Optional.ofNullable(given.get("--package")).map(Path::of);
    Optional<String> tracking = Optional.ofNullable(given.get("--tracking"));
    Optional<String> model = Optional.ofNullable(given.get("--model"));
    if (pkg.isPresent() == (tracking.isPresent() || model.isPresent())) {
      throw new InvalidInputException("give either --package FILE or --tracking STORE with --model URI");
    }
    if (pkg.isEmpty() && (tracking.isEmpty() || model.isEmpty())) {
      throw new InvalidInputException("a registry model needs both --tracking STORE and --model URI");
    }
    model.ifPresent(ModelUri::parse);
    Optional<String> shadow = Optional.ofNullable(given.get("--shadow"));
    Optional<String> canary = Optional.ofNullable(given.get("--canary"));
    List<String> challengers = new ArrayList<>();
    shadow.ifPresent(challengers::add);
    canary.ifPresent(challengers::add);
    if (challengers.size() > 1) {
      throw new InvalidInputException("give --shadow or --canary, not both");
    }
    if (pkg.isEmpty()) {
      challengers.forEach(ModelUri::parse);
    }
    double share = number(given, "--canary-share", 0.1);
    if (!(share >= 0 && share <= 1)) {
      throw new InvalidInputException("--canary-share is between 0 and 1; got " + share);
    }
    double pollSeconds = number(given, "--poll-seconds", 30);
    if (!(pollSeconds >= 0)) {
      throw new InvalidInputException("--poll-seconds cannot be negative; got " + pollSeconds);
    }
    return new ServeOptions(pkg, tracking, model,
        given.getOrDefault("--host", "127.0.0.1"),
        (int) integer(given, "--port", 8080),
        (int) integer(given, "--threads", Math.max(2, Runtime.getRuntime().availableProcessors())),
        (int) integer(given, "--max-concurrent", 256),
        integer(given, "--max-body-bytes", 1L << 20),
        Duration.ofMillis(Math.round(pollSeconds * 1000)),
        shadow, canary, share,
        integer(given, "--seed", 0));
  }

  private static long integer(Map<String, String> given, String flag, long fallback) {
    String text = given.get(flag);
    try {
      return text == null ? fallback : Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(flag + " needs a whole number; got '" + text + "'");
    }
  }

  private static double number(Map<String, String> given, String flag, double fallback) {
    String text = given.get(flag);
    try {
      return text == null ? fallback : Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(flag + " needs a number; got '" + text + "'");
    }
  }
}
