package dev.mlops.serving;

import dev.mlops.core.Field;
import dev.mlops.core.InvalidInputException;
import dev.mlops.packaging.ModelSignature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Names the inputs of a refused row that the signature does not know, with the input each was
 * probably meant to be: {@code unknown input 'sepal_lenght'; did you mean 'sepal_length'?}. A
 * row's extra inputs are ignored when it predicts, as MLflow ignores them; they are named only
 * when the row is refused, since a misspelt name is then the likely reason.
 */
final class UnknownInputs {
  private static final int MAX_NAMED = 5;
  private static final int MAX_NAME = 64;

  private UnknownInputs() {}

  /** The refusal, preceded by what the row's unknown inputs may have been meant for; the refusal itself when there are none. */
  static InvalidInputException explain(InvalidInputException refusal, Map<String, ?> row, ModelSignature signature) {
    List<String> notes = new ArrayList<>();
    for (String key : row.keySet()) {
      if (key != null && !signature.inputs().contains(key)) {
        if (notes.size() == MAX_NAMED) {
          notes.add("(and more unknown inputs)");
          break;
        }
        notes.add(note(key, signature));
      }
    }
    return notes.isEmpty() ? refusal : new InvalidInputException(String.join(" ", notes) + " " + refusal.getMessage(), refusal);
  }

  private static String note(String key, ModelSignature signature) {
    String shown = key.length() <= MAX_NAME ? key : key.substring(0, MAX_NAME) + "...";
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    // Anything farther than a third of the name is a different name, not a typo of it.
    int threshold = Math.max(1, Math.min(key.length(), MAX_NAME) / 3);
    for (Field f : signature.inputs()) {
      int d = distance(key.length() <= MAX_NAME ? key : shown, f.name());
      if (d <= threshold && d < bestDistance) {
        best = f.name();
        bestDistance = d;
      }
    }
    return best == null
        ? "unknown input '" + shown + "'; the inputs are " + signature.inputs().names() + "."
        : "unknown input '" + shown + "'; did you mean '" + best + "'?";
  }

  /** Levenshtein's edit distance, ignoring case: insertions, deletions and substitutions. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      row[0] = i;
      char c = Character.toLowerCase(a.charAt(i - 1));
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (c == Character.toLowerCase(b.charAt(j - 1)) ? 0 : 1);
        row[j] = Math.min(substitute, Math.min(previous[j], row[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = row;
      row = swap;
    }
    return previous[b.length()];
  }
}
