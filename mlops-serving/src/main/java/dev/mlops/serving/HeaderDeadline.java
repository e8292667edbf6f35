package dev.mlops.serving;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A deadline for a request's headers. The idle timeout closes a connection that sends nothing,
 * but a client that sends one header byte a second is never idle; this closes a connection
 * whose request has been in its headers for two ticks of the deadline in a row, so headers must
 * arrive within one to two deadlines. Each open connection is looked at once per deadline, off
 * the request path; a request's body is bounded by the idle timeout and its size limit instead.
 */
final class HeaderDeadline implements Connection.Listener {
  private final Scheduler scheduler;
  private final long millis;

  HeaderDeadline(Scheduler scheduler, long millis) {
    this.scheduler = scheduler;
    this.millis = millis;
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      schedule(http, -1);
    }
  }

  /** Looks again after a deadline; {@code stalled} is the request count seen mid-headers last time, or -1. */
  private void schedule(HttpConnection http, long stalled) {
    scheduler.schedule(() -> check(http, stalled), millis, TimeUnit.MILLISECONDS);
  }

  private void check(HttpConnection http, long stalled) {
    if (!http.getEndPoint().isOpen()) {
      return;
    }
    HttpParser parser = http.getParser();
    boolean midHeaders = parser.inHeaderState() && !parser.isStart();
    long requests = http.getMessagesIn();
    if (midHeaders && requests == stalled) {
      http.getEndPoint().close(new TimeoutException("request headers took longer than " + millis + " ms"));
      return;
    }
    schedule(http, midHeaders ? requests : -1);
  }
}
