package dev.mlops.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.mlops.core.CanonicalJson;

/**
 * A Tribuo provenance as JSON: OLCUT's marshalled form (a list of objects, references by name)
 * written by OLCUT's JSON provenance serialization, then made canonical so that equal
 * provenance gives equal bytes.
 */
final class ProvenanceJson {
  private ProvenanceJson() {}

  static JsonNode toTree(ObjectProvenance provenance) {
    String json = new JsonProvenanceSerialization(false).serializeToString(ProvenanceUtil.marshalProvenance(provenance));
    return CanonicalJson.parse(json);
  }

  static byte[] toBytes(ObjectProvenance provenance) {
    return CanonicalJson.toBytes(toTree(provenance));
  }
}
