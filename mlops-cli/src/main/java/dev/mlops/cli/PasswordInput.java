package dev.mlops.cli;

import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where a password for {@code mlops server user create} comes from: the first line of a file, the
 * terminal (read twice, never echoed), or else the first line of standard input, so that a script
 * can pipe it in. Never from an argument, which the process list and the shell's history would show.
 */
final class PasswordInput {
  private final InputStream in;
  private final Console console;

  /**
   * @param in standard input
   * @param consoleOrNull the terminal when standard input and output are one, else null
   */
  PasswordInput(InputStream in, Console consoleOrNull) {
    this.in = in;
    this.console = consoleOrNull;
  }

  /**
   * The password of this user, from the file when one is given.
   *
   * @throws InvalidInputException when there is no password, or the two typed differ
   * @throws NotFoundException when the file does not exist
   */
  String read(Path fileOrNull, String user) {
    if (fileOrNull != null) {
      try (BufferedReader r = Files.newBufferedReader(fileOrNull, StandardCharsets.UTF_8)) {
        return present(r.readLine(), "the password file " + fileOrNull + " is empty; write the password on its"
            + " first line");
      } catch (NoSuchFileException e) {
        throw new NotFoundException("no password file '" + fileOrNull + "'; check the path");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the password file " + fileOrNull + ": " + e.getMessage(), e);
      }
    }
    if (console != null) {
      char[] first = console.readPassword("password for %s: ", user);
      char[] again = console.readPassword("the same password again: ");
      try {
        if (first == null || again == null || !Arrays.equals(first, again)) {
          throw new InvalidInputException("the two passwords typed differ; nothing was recorded, run the command again");
        }
        return new String(first);
      } finally {
        Arrays.fill(first == null ? new char[0] : first, '\0');
        Arrays.fill(again == null ? new char[0] : again, '\0');
      }
    }
    try {
      // the first line is the password; standard input belongs to the process and stays open
      return present(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine(),
          "no password on standard input; pipe it in (printf '%s\\n' \"$PASSWORD\" | mlops server user create …)"
          + " or give --password-file FILE");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the password from standard input: " + e.getMessage(), e);
    }
  }

  private static String present(String line, String whenMissing) {
    if (line == null || line.isEmpty()) {
      throw new InvalidInputException(whenMissing);
    }
    return line;
  }
}
