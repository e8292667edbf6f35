package dev.mlops.cli;

import dev.mlops.server.Role;
import java.util.Locale;
import picocli.CommandLine;

/** The {@code --role reader|editor|admin} of the commands that record a tracking server's users. */
final class RoleOption {
  private RoleOption() {}

  /**
   * The role a {@code --role} value names, in any case.
   *
   * @throws CommandLine.ParameterException naming the value, answered with the command's usage
   */
  static Role parse(CommandLine command, String text) {
    try {
      return Role.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(command, "--role must be reader, editor or admin; got '" + text + "'");
    }
  }

  /** The role as the option spells it. */
  static String name(Role role) {
    return role.name().toLowerCase(Locale.ROOT);
  }
}
