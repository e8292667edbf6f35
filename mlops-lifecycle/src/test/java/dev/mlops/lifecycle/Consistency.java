package dev.mlops.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.CanonicalJson;
import dev.mlops.core.NotFoundException;
import dev.mlops.packaging.ModelPackage;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.Tracker;
import java.nio.file.Path;
import java.util.Map;

/** The life cycle the fault tests run, and the registry invariant they check after every fault. */
final class Consistency {
  static final String NAME = "blobs";

  private Consistency() {}

  static Lifecycle.Builder lifecycle(Tracker tracker, Path incoming) {
    return Lifecycle.builder(tracker, NAME).data(DataSource.csv(incoming)).label(Blobs.LABEL)
        .validateData(DataChecks.schema(Blobs.SCHEMA))
        .train(Blobs.trainer(0.5, 2)).gate(Gate.atLeast("accuracy", 0.6).and(Gate.notWorseThanChampion("accuracy", 0.2)))
        .lockWait(java.time.Duration.ofSeconds(60));
  }

  /**
   * Every alias points at a registered version whose package loads and verifies, and the champion
   * was promoted by a pass whose stored decision record shows it passing every gate condition.
   */
  static void check(Tracker tracker) {
    RegisteredModel model;
    try {
      model = tracker.registry().model(NAME);
    } catch (NotFoundException e) {
      return;
    }
    for (Map.Entry<String, Integer> alias : model.aliases().entrySet()) {
      ModelVersion v = tracker.registry().version(NAME, alias.getValue());
      try (ModelPackage pkg = tracker.registry().load(v)) {
        assertTrue(Pass.referenceProfile(pkg).isPresent(), alias + " points at a complete package");
      }
    }
    Integer champion = model.aliases().get(Lifecycle.CHAMPION);
    if (champion != null) {
      backedByAPassedGate(tracker, tracker.registry().version(NAME, champion));
    }
    for (ModelVersion v : tracker.registry().versions(NAME)) {
      if ("promoted".equals(v.tags().get(Lifecycle.VERSION_STATE))) {
        backedByAPassedGate(tracker, v);
      }
    }
  }

  /** The pass that registered the version promoted it, and its stored record shows every gate condition passed. */
  private static void backedByAPassedGate(Tracker tracker, ModelVersion v) {
    String pass = v.tags().get(Lifecycle.VERSION_PASS);
    assertTrue(pass != null, "version " + v.version() + " names the pass that registered it");
    JsonNode record = CanonicalJson.parse(tracker.readArtifact(pass, "decision.json"));
    assertEquals("PROMOTED", record.get("outcome").asText(), "the pass of version " + v.version() + " promoted it");
    assertEquals(v.version(), record.get("versions").get("candidate").asInt());
    assertTrue(record.get("gate").size() > 0);
    for (JsonNode g : record.get("gate")) {
      assertTrue(g.get("passed").asBoolean(), "every gate condition of a promotion passed: " + g);
    }
  }
}
