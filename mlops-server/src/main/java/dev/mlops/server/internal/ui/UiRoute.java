package dev.mlops.server.internal.ui;

/**
 * One page of the UI as a path template below {@code /ui/}: a segment in braces such as
 * {@code {id}} stands for any one segment, a last segment ending in {@code ...} such as
 * {@code {path...}} for one or more. The handler dispatches on the template, so that every page
 * is in one list that the permission checks and their tests go through.
 *
 * @param template for example {@code runs/{id}/artifacts/{path...}}
 */
record UiRoute(String template) {
  /** Whether a path below {@code /ui/}, split at its slashes, is this page. */
  boolean matches(String[] parts) {
    String[] want = template.split("/", -1);
    boolean rest = want[want.length - 1].endsWith("...}");
    if (rest ? parts.length < want.length : parts.length != want.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      if (!want[i].startsWith("{") && !want[i].equals(parts[i])) {
        return false;
      }
    }
    return true;
  }
}
