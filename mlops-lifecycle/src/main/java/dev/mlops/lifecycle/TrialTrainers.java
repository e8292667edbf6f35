package dev.mlops.lifecycle;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.mlops.core.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Trainer;
import org.tribuo.provenance.TrainerProvenance;

/**
 * Fresh trainers configured from a trainer's provenance with some fields changed, through OLCUT's
 * configuration: the original is never trained or changed, and each trial starts from the
 * invocation count zero, so the same trial trains the same model.
 */
final class TrialTrainers {
  private final List<ConfigurationData> configuration;
  private final String rootName;

  TrialTrainers(Trainer<?> base) {
    TrainerProvenance provenance = base.getProvenance();
    ProvenanceUtil.ProvenanceOrdering ordering = ProvenanceUtil.orderProvenances(provenance);
    this.configuration = ProvenanceUtil.extractConfigurationFromOrdering(ordering);
    Integer index = ordering.provenanceTracker.get(provenance);
    if (index == null) {
      throw new InvalidInputException("the trainer " + base.getClass().getName() + " records no configuration;"
          + " give a Tribuo trainer that is configurable through OLCUT");
    }
    this.rootName = ProvenanceUtil.computeName(provenance, index);
  }

  /** A new trainer with {@code overrides} (field path to value) applied. */
  Trainer<?> configure(Map<String, String> overrides) {
    Map<String, ConfigurationData> byName = new HashMap<>();
    for (ConfigurationData c : configuration) {
      byName.put(c.getName(), c.copy());
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      set(byName, e.getKey(), e.getValue());
    }
    ConfigurationManager cm = new ConfigurationManager();
    try {
      cm.addConfiguration(new ArrayList<>(byName.values()));
      return (Trainer<?>) cm.lookup(rootName);
    } catch (RuntimeException e) {
      throw new InvalidInputException("cannot configure the trainer with " + overrides + ": " + e.getMessage(), e);
    } finally {
      cm.close();
    }
  }

  private void set(Map<String, ConfigurationData> byName, String path, String value) {
    String[] parts = path.split("\\.");
    ConfigurationData current = byName.get(rootName);
    if (parts.length == 1 && !current.contains(parts[0])) {
      current = uniqueOwner(byName, parts[0], path);
    } else {
      for (int i = 0; i < parts.length - 1; i++) {
        Property p = current.get(parts[i]).orElseThrow(() -> unknown(path, byName));
        if (!(p instanceof SimpleProperty s) || !byName.containsKey(s.getValue())) {
          throw new InvalidInputException("'" + parts[i] + "' in '" + path + "' is not a configured object;"
              + " the trainer's fields are " + fields(byName));
        }
        current = byName.get(s.getValue());
      }
    }
    String field = parts[parts.length - 1];
    Property old = current.get(field).orElseThrow(() -> unknown(path, byName));
    if (!(old instanceof SimpleProperty)) {
      throw new InvalidInputException("field '" + path + "' holds a list or map; only single values are searched");
    }
    current.add(field, new SimpleProperty(value));
  }

  private ConfigurationData uniqueOwner(Map<String, ConfigurationData> byName, String field, String path) {
    List<ConfigurationData> owners = byName.values().stream().filter(c -> c.contains(field)).toList();
    if (owners.size() != 1) {
      throw owners.isEmpty() ? unknown(path, byName) : new InvalidInputException("field '" + field + "' is in "
          + owners.size() + " configured objects; name it by its path, one of " + fields(byName));
    }
    return owners.get(0);
  }

  private InvalidInputException unknown(String path, Map<String, ConfigurationData> byName) {
    return new InvalidInputException("the trainer has no configurable field '" + path + "'; its fields are " + fields(byName));
  }

  /** Every field path below the trainer, for messages. */
  private List<String> fields(Map<String, ConfigurationData> byName) {
    List<String> out = new ArrayList<>();
    collect(byName, byName.get(rootName), "", out, 0);
    return out;
  }

  private static void collect(Map<String, ConfigurationData> byName, ConfigurationData c, String prefix, List<String> out,
      int depth) {
    for (Map.Entry<String, Property> e : new java.util.TreeMap<>(c.getProperties()).entrySet()) {
      if (e.getValue() instanceof SimpleProperty s && byName.containsKey(s.getValue()) && depth < 8) {
        collect(byName, byName.get(s.getValue()), prefix + e.getKey() + ".", out, depth + 1);
      } else {
        out.add(prefix + e.getKey());
      }
    }
  }
}
