package dev.mlops.tracking;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;

/**
 * One page of search results and the token that fetches the next one.
 *
 * <pre>{@code
 * RunPage page = tracker.search("iris").limit(100).page();
 * while (true) {
 *   page.runs().forEach(r -> System.out.println(r.name()));
 *   if (page.nextPageToken().isEmpty()) break;
 *   page = tracker.search("iris").limit(100).pageToken(page.nextPageToken().get()).page();
 * }
 * }</pre>
 *
 * @param runs the runs on this page, in the requested order
 * @param nextPageTokenOrNull the token of the next page, or null on the last page
 */
public record RunPage(List<RunRecord> runs, String nextPageTokenOrNull) {
  public RunPage {
    runs = ImmutableList.copyOf(runs);
  }

  /** The token of the next page, unless this is the last. */
  public Optional<String> nextPageToken() {
    return Optional.ofNullable(nextPageTokenOrNull);
  }
}
