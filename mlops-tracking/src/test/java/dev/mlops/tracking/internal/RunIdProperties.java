package dev.mlops.tracking.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Run ids: version 7 UUIDs in MLflow's 32 lowercase hex digits, ordered by their start time.
 * The properties sample start times over the whole 48-bit millisecond range (years 1970 to
 * 10889), pairs of them, and each time against the next millisecond.
 */
class RunIdProperties {
  private static final long MAX_MILLIS = 0xFFFF_FFFF_FFFFL;

  @Property(tries = 2000)
  void anIdIsAVersion7UuidInLowercaseHexThatCarriesItsStartTime(@ForAll @LongRange(min = 0, max = MAX_MILLIS) long millis) {
    String id = NewRun.newId(millis);
    assertTrue(id.matches("[0-9a-f]{32}"), id);
    UUID uuid = new UUID(Long.parseUnsignedLong(id.substring(0, 16), 16), Long.parseUnsignedLong(id.substring(16), 16));
    assertEquals(7, uuid.version(), id);
    assertEquals(2, uuid.variant(), id);
    assertEquals(millis, uuid.getMostSignificantBits() >>> 16, id);
  }

  @Property(tries = 2000)
  void aRunStartedInALaterMillisecondHasALargerId(@ForAll @LongRange(min = 0, max = MAX_MILLIS) long a,
      @ForAll @LongRange(min = 0, max = MAX_MILLIS) long b) {
    int byTime = Long.compare(a, b);
    int byId = Integer.signum(NewRun.newId(a).compareTo(NewRun.newId(b)));
    if (byTime != 0) {
      assertEquals(byTime, byId, a + " against " + b);
    }
    if (a < MAX_MILLIS) {
      assertTrue(NewRun.newId(a).compareTo(NewRun.newId(a + 1)) < 0, "the millisecond after " + a);
    }
  }

  @Property(tries = 20)
  void idsOfOneMillisecondDiffer(@ForAll @LongRange(min = 0, max = MAX_MILLIS) long millis) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertTrue(ids.add(NewRun.newId(millis)), "a repeated id among the runs started at " + millis);
    }
  }
}
