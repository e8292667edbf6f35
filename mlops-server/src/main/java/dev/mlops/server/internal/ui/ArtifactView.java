package dev.mlops.server.internal.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.InvalidInputException;
import dev.mlops.core.NotFoundException;
import dev.mlops.server.internal.Wire;
import dev.mlops.tracking.ArtifactInfo;
import dev.mlops.tracking.RunRecord;
import dev.mlops.tracking.Tracker;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An artifact previewed in its run: text and JSON as text, CSV as a table, images as images,
 * HTML reports in a sandboxed frame (no script runs there), anything else as a download. The
 * raw bytes are served apart, with a content type that never lets a browser run them.
 */
final class ArtifactView {
  /** The largest artifact previewed as text, JSON or a table. */
  static final long MAX_PREVIEW = 2L << 20;
  /** The largest artifact served raw to the browser. */
  static final long MAX_RAW = 64L << 20;
  private static final int MAX_CSV_ROWS = 500;
  private static final Map<String, String> IMAGES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg",
      "image/jpeg", "gif", "image/gif", "webp", "image/webp", "svg", "image/svg+xml");
  private static final List<String> TEXTS = List.of("txt", "md", "log", "yaml", "yml", "py", "java", "properties",
      "toml", "ini", "cfg", "sql", "sh", "xml", "r", "scala", "jsonl");

  private final Tracker tracker;
  private final ObjectMapper json;

  ArtifactView(Tracker tracker, ObjectMapper json) {
    this.tracker = tracker;
    this.json = json;
  }

  /** The artifact of the run at exactly this path; never a file outside the run's list. */
  static ArtifactInfo find(RunRecord run, String path) {
    return run.artifacts().stream().filter(a -> a.path().equals(path)).findFirst()
        .orElseThrow(() -> new NotFoundException("run '" + run.runId() + "' has no artifact '" + path
            + "'; its artifacts are listed on its page"));
  }

  static String extension(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    return dot > slash ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }

  /** The content type the raw bytes are served with: images as such, text as plain text, else a download. */
  static String rawType(String path) {
    String ext = extension(path);
    if (IMAGES.containsKey(ext)) {
      return IMAGES.get(ext);
    }
    if (ext.equals("html") || ext.equals("htm")) {
      return "text/html; charset=utf-8";
    }
    if (ext.equals("json") || ext.equals("csv") || ext.equals("tsv") || TEXTS.contains(ext)) {
      return "text/plain; charset=utf-8";
    }
    return "application/octet-stream";
  }

  /** The verified bytes of an artifact small enough to serve raw. */
  byte[] raw(String runId, String path) {
    ArtifactInfo info = find(tracker.getRun(runId), path);
    if (info.size() > MAX_RAW) {
      throw new InvalidInputException("artifact '" + path + "' has " + size(info.size()) + "; the UI serves at most "
          + size(MAX_RAW) + ". Download it with the REST API's artifact proxy");
    }
    return tracker.readArtifact(runId, path);
  }

  UiPage render(String runId, String path) {
    RunRecord run = tracker.getRun(runId);
    ArtifactInfo info = find(run, path);
    ObjectNode data = Wire.object();
    data.put("run_id", runId);
    data.put("path", info.path());
    data.put("file_size", info.size());
    data.put("sha256", info.sha256().toString());
    String raw = "/ui/runs/" + Html.segment(runId) + "/raw/" + Html.urlPath(info.path());
    Html h = new Html();
    h.markup("<p class=\"crumbs\">").link("/ui/runs/" + Html.segment(runId), run.name()).markup(" / ").text(info.path())
        .markup("</p><p class=\"note\">").text(size(info.size()) + " \u00b7 " + info.sha256()).markup(" \u00b7 ")
        .link(raw, "raw").markup("</p>");
    String ext = extension(info.path());
    boolean small = info.size() <= MAX_PREVIEW;
    if (IMAGES.containsKey(ext) && info.size() <= MAX_RAW) {
      h.markup("<img class=\"preview\" id=\"preview\" alt=\"\"").attribute("src", raw).markup(">");
    } else if ((ext.equals("html") || ext.equals("htm")) && info.size() <= MAX_RAW) {
      h.markup("<iframe class=\"report\" id=\"preview\" sandbox title=\"report\"").attribute("src", raw)
          .markup("></iframe>");
    } else if (small && (ext.equals("csv") || ext.equals("tsv"))) {
      table(h, text(runId, info), ext.equals("tsv") ? '\t' : ',');
    } else if (small && ext.equals("json")) {
      String text = text(runId, info);
      try {
        JsonNode node = json.readTree(text);
        text = json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
      } catch (IOException notJson) {
        h.element("p", "note", "This file is not valid JSON; shown as it is.");
      }
      h.markup("<pre class=\"preview\" id=\"preview\">").text(text).markup("</pre>");
    } else if (small && (TEXTS.contains(ext) || ext.isEmpty())) {
      h.markup("<pre class=\"preview\" id=\"preview\">").text(text(runId, info)).markup("</pre>");
    } else {
      h.element("p", "note", small ? "No preview for this kind of file." : "Too large to preview here.");
    }
    return new UiPage(info.path(), h, data);
  }

  private String text(String runId, ArtifactInfo info) {
    byte[] bytes = tracker.readArtifact(runId, info.path());
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return "(binary content: not UTF-8 text)";
    }
  }

  private static void table(Html h, String text, char separator) {
    List<List<String>> rows = Csv.parse(text, separator, MAX_CSV_ROWS + 1);
    h.markup("<table class=\"grid\" id=\"preview\">");
    for (int i = 0; i < Math.min(rows.size(), MAX_CSV_ROWS + 1); i++) {
      h.markup(i == 0 ? "<thead>" : "").markup("<tr>");
      for (String cell : rows.get(i)) {
        h.element(i == 0 ? "th" : "td", "", cell);
      }
      h.markup("</tr>").markup(i == 0 ? "</thead><tbody>" : "");
    }
    h.markup("</tbody></table>");
    if (rows.size() > MAX_CSV_ROWS + 1) {
      h.element("p", "note", "Showing the first " + MAX_CSV_ROWS + " rows.");
    }
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** A CSV reader for previews: quoted fields with doubled quotes, at most so many rows. */
  static final class Csv {
    private Csv() {}

    static List<List<String>> parse(String text, char separator, int mostRows) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < text.length() && rows.size() < mostRows; i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            cell.append(c);
          }
        } else if (c == '"' && cell.isEmpty()) {
          quoted = true;
        } else if (c == separator) {
          row.add(cell.toString());
          cell.setLength(0);
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
            i++;
          }
          row.add(cell.toString());
          cell.setLength(0);
          rows.add(row);
          row = new ArrayList<>();
        } else {
          cell.append(c);
        }
      }
      if ((!cell.isEmpty() || !row.isEmpty()) && rows.size() < mostRows) {
        row.add(cell.toString());
        rows.add(row);
      }
      return rows;
    }
  }
}
