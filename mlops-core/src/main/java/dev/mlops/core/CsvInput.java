package dev.mlops.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The characters of a CSV source, bounded and with positions for errors: bytes are decoded as
 * strict UTF-8 (a byte that is not UTF-8 is refused with its offset and line, never replaced), a
 * leading byte-order mark is dropped, and more than {@link CsvLimits#maxInputChars()}
 * characters are refused before they are buffered.
 */
final class CsvInput extends Reader {
  private static final int BUFFER = 8192;

  private final String source;
  private final long maxChars;
  private final InputStream bytes;
  private final Reader chars;
  private final CharsetDecoder decoder;
  private final ByteBuffer in;
  private final CharBuffer out;
  private long bytesBefore;
  private long charsRead;
  private long lines = 1;
  private boolean first = true;
  private boolean eof;

  private CsvInput(String source, long maxChars, InputStream bytes, Reader chars) {
    this.source = source;
    this.maxChars = maxChars;
    this.bytes = bytes;
    this.chars = chars;
    if (bytes != null) {
      decoder = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      in = ByteBuffer.allocate(BUFFER).flip();
      out = CharBuffer.allocate(BUFFER).flip();
    } else {
      decoder = null;
      in = null;
      out = null;
    }
  }

  /** UTF-8 bytes. */
  static CsvInput of(InputStream bytes, String source, CsvLimits limits) {
    return new CsvInput(source, limits.maxInputChars(), bytes, null);
  }

  /** Characters already decoded by the caller. */
  static CsvInput of(Reader chars, String source, CsvLimits limits) {
    return new CsvInput(source, limits.maxInputChars(), null, chars);
  }

  @Override
  public int read(char[] target, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n = bytes != null ? decode(target, off, len) : chars.read(target, off, len);
    if (n <= 0) {
      return n;
    }
    if (first) {
      first = false;
      if (target[off] == '\uFEFF') {
        System.arraycopy(target, off + 1, target, off, n - 1);
        n--;
        if (n == 0) {
          return read(target, off, len);
        }
      }
    }
    charsRead += n;
    if (charsRead > maxChars) {
      throw new InvalidInputException(source + ": the CSV is longer than the limit of " + maxChars
          + " characters; raise CsvLimits.maxInputChars to read it");
    }
    for (int i = off; i < off + n; i++) {
      if (target[i] == '\n') {
        lines++;
      }
    }
    return n;
  }

  private int decode(char[] target, int off, int len) throws IOException {
    while (!out.hasRemaining()) {
      if (eof) {
        return -1;
      }
      out.clear();
      in.compact();
      int got = bytes.read(in.array(), in.arrayOffset() + in.position(), in.remaining());
      if (got < 0) {
        eof = true;
      } else {
        in.position(in.position() + got);
      }
      in.flip();
      int before = in.position();
      CoderResult r = decoder.decode(in, out, eof);
      if (r.isError()) {
        long at = bytesBefore + in.position();
        long line = lines + countLines(out);
        throw new InvalidInputException(source + ": byte " + at + " (line " + line + ") is not valid UTF-8 ("
            + hex(in, r.length()) + "); save the file as UTF-8");
      }
      if (eof) {
        decoder.flush(out);
      }
      bytesBefore += in.position() - before;
      out.flip();
    }
    int n = Math.min(len, out.remaining());
    out.get(target, off, n);
    return n;
  }

  private static long countLines(CharBuffer decoded) {
    long n = 0;
    for (int i = 0; i < decoded.position(); i++) {
      if (decoded.get(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static String hex(ByteBuffer buffer, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length && buffer.position() + i < buffer.limit(); i++) {
      s.append(i == 0 ? "" : " ").append(String.format("0x%02X", buffer.get(buffer.position() + i) & 0xFF));
    }
    return s.toString();
  }

  @Override
  public void close() throws IOException {
    if (bytes != null) {
      bytes.close();
    } else {
      chars.close();
    }
  }
}
