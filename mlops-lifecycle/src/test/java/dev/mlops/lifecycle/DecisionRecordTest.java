package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision record says why, on what, what was tried, the gate side by side, and what was done, as JSON and as one safe page. */
class DecisionRecordTest {
  @TempDir Path dir;

  @Test
  void theRecordNamesTriggerDataCandidatesGateAndActionAndItsPageIsSelfContainedAndEscaped() {
    Path incoming = dir.resolve("incoming");
    Blobs.write(incoming, "batch-1", Blobs.frame(90, 1, 0));
    try (Tracker tracker = Stores.sqlite(dir)) {
      Lifecycle lc = Lifecycle.builder(tracker, "blobs").data(DataSource.csv(incoming)).label(Blobs.LABEL)
          .train(Blobs.trainer(0.5, 2)).select(Search.grid("epochs", 1, 2))
          .gate(Gate.atLeast("accuracy", 0.5)).build();
      DecisionRecord r = lc.runOnce(new TriggerEvent(Trigger.Kind.DRIFT, "<script>alert('x')</script> & drift",
          Instant.parse("2026-01-05T08:00:00Z"))).record().orElseThrow();

      JsonNode json = CanonicalJson.parse(r.toJson());
      assertEquals("DRIFT", json.get("trigger").get("kind").asText());
      assertEquals(r.dataDigest().orElseThrow().toString(), json.get("data").get("digest").asText());
      assertEquals(90, json.get("data").get("rows").asInt());
      assertEquals(2, json.get("selection").get("candidates").size());
      assertEquals("≥ 0.5", json.get("gate").get(0).get("threshold").asText());
      assertEquals("PROMOTED", json.get("outcome").asText());
      assertEquals(r.passRunId(), json.get("pass_run_id").asText());
      assertEquals(9, json.get("steps").size());

      String html = r.toHtml();
      assertFalse(html.contains("<script>"), "text from the trigger is escaped");
      assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; drift"));
      assertFalse(Pattern.compile("<(link|img|iframe)\\b").matcher(html).find(), "nothing is loaded from elsewhere");
      Matcher urls = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
      assertFalse(urls.find(), "no external references");
      for (String section : new String[] {"Why it ran", "Data", "Split", "Candidates", "Gate", "Holdout scores",
          "What was done", "Steps"}) {
        assertTrue(html.contains("<h2>" + section + "</h2>"), section);
      }
      assertTrue(html.contains("models:/blobs/1"));
    }
  }
}
