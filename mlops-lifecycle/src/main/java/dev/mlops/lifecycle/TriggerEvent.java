package dev.mlops.lifecycle;

import java.time.Instant;
import java.util.Objects;

/**
 * Why a pass runs: the kind of trigger, what fired it (the alert's summary, the new digest, the
 * schedule), and when. The decision record opens with it.
 *
 * <pre>{@code
 * lifecycle.runOnce(TriggerEvent.onDemand("retrain after the schema fix", clock.instant()));
 * }</pre>
 *
 * @param kind the trigger
 * @param detail what fired it, in words
 * @param time when, by the life cycle's clock
 */
public record TriggerEvent(Trigger.Kind kind, String detail, Instant time) {
  public TriggerEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(time, "time");
  }

  /** A pass asked for by a person or a program. */
  public static TriggerEvent onDemand(String reason, Instant time) {
    return new TriggerEvent(Trigger.Kind.ON_DEMAND, reason, time);
  }
}
