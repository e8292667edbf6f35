package dev.mlops.tracking.internal;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper of the REST protocol, the same on the client and the server side.
 *
 * <p>Metric points are most of what crosses the wire, a double each: the mapper reads and writes
 * doubles with Jackson's fast exact algorithms (FastDoubleParser, Schubfach), which give the same
 * values as {@code Double.parseDouble} and a shortest round-tripping text, at a fraction of the JDK's
 * cost. Everything else is Jackson's default.
 *
 * <pre>{@code
 * ObjectMapper json = WireJson.mapper();
 * }</pre>
 */
public final class WireJson {
  private WireJson() {}

  /** A new mapper for request and answer bodies. */
  public static ObjectMapper mapper() {
    return JsonMapper.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();
  }
}
