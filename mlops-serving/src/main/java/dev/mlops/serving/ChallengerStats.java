package dev.mlops.serving;

/**
 * How a challenger fares next to the champion, counted since the service started. In shadow
 * mode every request goes to both and {@link #agreementRate()} says how often they agree; in
 * canary mode a share of the requests goes to the challenger, and {@link #challengerShare()}
 * says how large it was. Immutable snapshot.
 *
 * <pre>{@code
 * ChallengerStats s = service.challengerStats().orElseThrow();
 * if (s.compared() > 1_000 && s.agreementRate() > 0.99) registry.setAlias("iris", "champion", ...);
 * }</pre>
 *
 * @param rows rows the service answered
 * @param toChallenger rows whose answer came from the challenger (canary mode)
 * @param compared rows both models predicted (shadow mode)
 * @param agreed compared rows on which both predicted the same output
 * @param challengerFailures rows the challenger could not predict; the champion answered them
 */
public record ChallengerStats(long rows, long toChallenger, long compared, long agreed, long challengerFailures) {

  /** The share of compared rows on which both models agreed; NaN before the first comparison. */
  public double agreementRate() {
    return compared == 0 ? Double.NaN : (double) agreed / compared;
  }

  /** The share of rows the challenger answered; NaN before the first row. */
  public double challengerShare() {
    return rows == 0 ? Double.NaN : (double) toChallenger / rows;
  }
}
