package dev.mlops.serving;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without holding a thread while the client is slow: each chunk is taken
 * when the server has it, and the reader asks to be called again when none is there. The body
 * is bounded before anything is copied: the first chunk that would pass the limit ends the read
 * with a 413, so a client cannot make the server buffer more than the limit. A body that
 * stops arriving fails with the connection's idle timeout (a 408); a body whose framing is
 * broken (a chunk size that is not hexadecimal, say) fails as the HTTP layer reports it.
 */
final class BodyReader implements Runnable {
  /** Where the outcome of a read goes; exactly one method is called, once. */
  interface Outcome {
    void body(byte[] bytes);

    void refused(HttpProblem problem);

    /** The client went away or the connection failed; there is nobody left to answer. */
    void lost(Throwable failure);
  }

  private static final int INITIAL = 8192;

  private final Request request;
  private final long limit;
  private final Outcome outcome;
  private final ByteArrayOutputStream buffer;

  private BodyReader(Request request, long limit, Outcome outcome) {
    this.request = request;
    this.limit = limit;
    this.outcome = outcome;
    long declared = request.getLength();
    this.buffer = new ByteArrayOutputStream((int) Math.min(limit, declared > 0 ? declared : INITIAL));
  }

  /** Starts reading; the outcome is reported on this thread or on the server's when more bytes arrive. */
  static void read(Request request, long limit, Outcome outcome) {
    new BodyReader(request, limit, outcome).run();
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        failed(chunk.getFailure());
        return;
      }
      ByteBuffer bytes = chunk.getByteBuffer();
      int n = bytes.remaining();
      if (buffer.size() + (long) n > limit) {
        chunk.release();
        outcome.refused(tooLarge(limit));
        return;
      }
      if (bytes.hasArray()) {
        buffer.write(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
      } else {
        byte[] copy = new byte[n];
        bytes.get(copy);
        buffer.write(copy, 0, n);
      }
      boolean last = chunk.isLast();
      chunk.release();
      if (last) {
        outcome.body(buffer.toByteArray());
        return;
      }
    }
  }

  private void failed(Throwable failure) {
    if (failure instanceof HttpException http) {
      outcome.refused(HttpProblem.ofStatus(http.getCode(), http.getReason()));
    } else if (failure instanceof TimeoutException) {
      outcome.refused(new HttpProblem(408, HttpProblem.REQUEST_TIMEOUT,
          "the request body stopped arriving; the server waits for more bytes only as long as its idle timeout"));
    } else {
      outcome.lost(failure);
    }
  }

  static HttpProblem tooLarge(long limit) {
    return new HttpProblem(413, HttpProblem.REQUEST_TOO_LARGE,
        "the request body is over the limit of " + limit + " bytes; send fewer rows per request");
  }
}
