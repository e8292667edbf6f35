package dev.mlops.tracking.internal;

/**
 * One sort key of a search.
 *
 * @param entity what the key refers to
 * @param key the metric, param or tag key, or the attribute name
 * @param ascending the direction
 */
public record OrderClause(Entity entity, String key, boolean ascending) {}
