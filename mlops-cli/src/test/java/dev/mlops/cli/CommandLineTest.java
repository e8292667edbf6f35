package dev.mlops.cli;

import static dev.mlops.cli.Fixtures.mlops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.cli.Fixtures.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Help exits 0 and names every command; a wrong command line exits 2 with the reason and the usage. */
class CommandLineTest {
  @Test
  void helpListsEveryCommandAndExitsZero() {
    Result r = mlops("--help");
    assertEquals(0, r.status(), r.err());
    for (String command : new String[] {"serve", "server", "verify", "show", "runs", "models", "check", "help"}) {
      assertTrue(r.out().contains("  " + command + " "), command + " in\n" + r.out());
    }
    assertEquals("", r.err());
  }

  @ParameterizedTest
  @CsvSource({"serve,--package", "server,--store", "verify,PACKAGE", "show,--only", "runs,--filter", "models,NAME", "check,--condition"})
  void helpOfACommandExitsZeroWithItsOptions(String command, String option) {
    Result viaHelp = mlops("help", command);
    assertEquals(0, viaHelp.status(), viaHelp.err());
    assertTrue(viaHelp.out().startsWith("Usage: mlops " + command), viaHelp.out());
    assertTrue(viaHelp.out().contains(option), viaHelp.out());
    Result viaOption = mlops(command, "--help");
    assertEquals(0, viaOption.status(), viaOption.err());
    assertEquals(viaHelp.out(), viaOption.out());
  }

  @Test
  void versionExitsZero() {
    Result r = mlops("--version");
    assertEquals(0, r.status());
    assertTrue(r.out().startsWith("mlops "), r.out());
  }

  @ParameterizedTest(name = "[{index}] mlops {0}")
  @CsvSource(delimiter = '|', value = {
    "''|name a command|Usage: mlops ",
    "frobnicate|Unmatched argument at index 0: 'frobnicate'|Usage: mlops ",
    "serve|Missing required argument (specify one of these): (--package=FILE | --model=URI)|Usage: mlops serve",
    "serve --package m.mlpkg --model models:/a@b|mutually exclusive|Usage: mlops serve",
    "serve --package m.mlpkg --prot 1|Unknown options: '--prot', '1'|Usage: mlops serve",
    "serve --package|Missing required parameter for option '--package'|Usage: mlops serve",
    "serve --package m.mlpkg --port http|Invalid value for option '--port': 'http' is not an int|Usage: mlops serve",
    "serve --model iris|'iris'|Usage: mlops serve",
    "serve --package m.mlpkg --shadow a.mlpkg --canary b.mlpkg|not both|Usage: mlops serve",
    "serve --package m.mlpkg --canary b.mlpkg --canary-share 2|between 0 and 1; got 2.0|Usage: mlops serve",
    "serve --package m.mlpkg --tracking sqlite:x.db|--tracking goes with --model|Usage: mlops serve",
    "verify|Missing required parameter: 'PACKAGE'|Usage: mlops verify",
    "show --only everything m.mlpkg|Invalid value for option '--only'|Usage: mlops show",
    "runs|Missing required parameter: 'EXPERIMENT'|Usage: mlops runs",
    "models a b|Unmatched argument at index 2: 'b'|Usage: mlops models"})
  void aWrongCommandLineExitsTwoWithTheReasonAndTheUsage(String args, String reason, String usage) {
    Fixtures.assertWrongCommandLine(mlops(args.isEmpty() ? new String[0] : args.split(" ")), reason, usage);
  }
}
