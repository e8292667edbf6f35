package dev.mlops.tracking;

import dev.mlops.core.InvalidInputException;
import dev.mlops.tracking.internal.StoredText;
import dev.mlops.core.NotFoundException;
import dev.mlops.tracking.internal.ExperimentRow;
import java.util.Map;

/**
 * A named group of runs, such as every attempt at one model. Get it from {@link
 * Tracker#experiment(String)}, which creates it on first use; start runs in it with {@link
 * #run(String)}. A deleted experiment keeps its runs but accepts no new ones until restored.
 *
 * <pre>{@code
 * Experiment iris = tracker.experiment("iris", Map.of("owner", "risk-team"));
 * try (Run run = iris.run("logreg").start()) { ... }
 * iris.delete();
 * iris.restore();
 * }</pre>
 */
public final class Experiment {
  private static final int MAX_NAME_LENGTH = 500;

  private final Tracker tracker;
  private final String id;
  private final String name;

  Experiment(Tracker tracker, String id, String name) {
    this.tracker = tracker;
    this.id = id;
    this.name = name;
  }

  static String checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("an experiment needs a name that is not blank; got '" + name + "'");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new InvalidInputException("experiment name '" + name.substring(0, 40) + "...' is " + name.length()
          + " characters long; the limit is " + MAX_NAME_LENGTH);
    }
    StoredText.check("experiment name '" + StoredText.printable(name) + "'", name);
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidInputException("experiment name '" + name.strip() + "' contains control characters; remove them");
    }
    return name;
  }

  /** The experiment's id. */
  public String id() {
    return id;
  }

  /** The experiment's unique name. */
  public String name() {
    return name;
  }

  /** Its tags, as stored now. */
  public Map<String, String> tags() {
    return row().tags();
  }

  /** Whether it is deleted, as stored now. */
  public boolean isDeleted() {
    return row().deleted();
  }

  /** Sets a tag; the last write wins. */
  public Experiment tag(String key, String value) {
    tracker.checkOpen();
    tracker.store().setExperimentTags(id, Run.checkTag(key, value), tracker.clock().millis());
    return this;
  }

  /** Marks it deleted: its runs leave searches, and no new run can start in it. */
  public void delete() {
    tracker.checkOpen();
    tracker.store().setExperimentDeleted(id, true, tracker.clock().millis());
  }

  /** Undoes {@link #delete()}. */
  public void restore() {
    tracker.checkOpen();
    tracker.store().setExperimentDeleted(id, false, tracker.clock().millis());
  }

  /** A builder for a new run in this experiment; {@code null} gives the run a generated name. */
  public Run.Builder run(String runName) {
    return new Run.Builder(tracker, this, runName);
  }

  private ExperimentRow row() {
    tracker.checkOpen();
    return tracker.store().experimentById(id).orElseThrow(() -> new NotFoundException(
        "experiment '" + name + "' (id " + id + ") no longer exists"));
  }

  @Override
  public String toString() {
    return "Experiment[" + id + ", " + name + "]";
  }
}
