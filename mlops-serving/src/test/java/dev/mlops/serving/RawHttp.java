package dev.mlops.serving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a raw socket, for requests no well-behaved client would send. The
 * request is written from a thread of its own while the answer is read, so a server that
 * answers (and closes) before the whole request is written is seen answering. A read that gets
 * nothing within the timeout is a hang and fails the caller.
 */
final class RawHttp {
  /** What came back: a response, or a close without one. */
  record Answer(int status, Map<String, String> headers, byte[] body) {
    static final Answer CLOSED = new Answer(0, Map.of(), new byte[0]);

    boolean closed() {
      return status == 0;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {}

  /**
   * Sends the bytes and reads one answer.
   *
   * @throws SocketTimeoutException when the server neither answers nor closes in time
   */
  static Answer exchange(int port, byte[] request, int timeoutMillis, boolean head) throws IOException, InterruptedException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      Thread writer = new Thread(() -> {
        try {
          out.write(request);
          out.flush();
          socket.shutdownOutput();
        } catch (IOException e) {
          // The server may answer and close before reading everything; the answer is what counts.
        }
      }, "raw-http-writer");
      writer.setDaemon(true);
      writer.start();
      try {
        Answer a = read(socket.getInputStream(), head);
        while (a.status() >= 100 && a.status() < 200) {
          a = read(socket.getInputStream(), head);     // an interim answer such as 100 Continue
        }
        return a;
      } finally {
        writer.join(timeoutMillis);
      }
    }
  }

  /** Reads one response; a connection closed (or reset) before any byte of one is a clean close. */
  static Answer read(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
    int last4 = 0;
    try {
      while (last4 != 0x0d0a0d0a) {
        int c = in.read();
        if (c < 0) {
          if (headBytes.size() == 0) {
            return Answer.CLOSED;
          }
          throw new IOException("the connection closed inside a response head: " + headBytes);
        }
        headBytes.write(c);
        last4 = (last4 << 8) | c;
      }
    } catch (SocketException e) {
      if (headBytes.size() == 0) {
        return Answer.CLOSED;
      }
      throw e;
    }
    String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line: " + lines[0]);
    }
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    byte[] body;
    if (head || status == 204 || status == 304 || status / 100 == 1) {
      body = new byte[0];
    } else if (headers.containsKey("content-length")) {
      int length = Integer.parseInt(headers.get("content-length"));
      body = in.readNBytes(length);
      if (body.length != length) {
        throw new IOException("the body ended after " + body.length + " of " + length + " bytes");
      }
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunked(in);
    } else {
      body = in.readAllBytes();
    }
    return new Answer(status, headers, body);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      int n = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (n == 0) {
        line(in);
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      line(in);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the connection closed inside a chunked body");
      }
      if (c != '\r') {
        s.append((char) c);
      }
    }
    return s.toString();
  }
}
