package dev.mlops.lifecycle;

import java.util.Optional;

/**
 * At most one pending trigger: a trigger that fires while another waits is folded into it (and
 * counted), so a burst of alerts during a long pass starts one more pass, not one per alert.
 */
final class TriggerQueue {
  private TriggerEvent pending;
  private boolean running;
  private long folded;
  private boolean closed;

  /** Queues the event, or folds it into the pending one; true when it was queued. */
  synchronized boolean offer(TriggerEvent event) {
    if (pending != null) {
      folded++;
      return false;
    }
    pending = event;
    notifyAll();
    return true;
  }

  /** The pending event, taken and marked running; empty when none is pending. */
  synchronized Optional<TriggerEvent> poll() {
    if (pending == null) {
      return Optional.empty();
    }
    TriggerEvent e = pending;
    pending = null;
    running = true;
    return Optional.of(e);
  }

  /** Waits for a pending event; empty once closed. */
  synchronized Optional<TriggerEvent> take() throws InterruptedException {
    while (pending == null && !closed) {
      wait();
    }
    return closed ? Optional.empty() : poll();
  }

  /** The taken event's pass ended. */
  synchronized void done() {
    running = false;
    notifyAll();
  }

  /** Waits until nothing is pending or running. */
  synchronized void awaitIdle() throws InterruptedException {
    while ((pending != null || running) && !closed) {
      wait();
    }
  }

  synchronized void close() {
    closed = true;
    notifyAll();
  }

  synchronized void reopen() {
    closed = false;
  }

  /** How many events were folded into a pending one. */
  synchronized long folded() {
    return folded;
  }

  synchronized boolean hasPending() {
    return pending != null;
  }
}
