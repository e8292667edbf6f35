package dev.mlops.tracking;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that starts at a fixed instant and moves one millisecond each time it is read. */
final class TickingClock extends Clock {
  private final AtomicLong millis;

  TickingClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public long millis() {
    return millis.getAndIncrement();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }
}
