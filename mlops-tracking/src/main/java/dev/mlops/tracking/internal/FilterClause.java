package dev.mlops.tracking.internal;

import java.util.List;

/**
 * One {@code entity.key op value} clause of a filter.
 *
 * @param entity what the key refers to
 * @param key the metric, param or tag key, or the attribute name
 * @param op the operator
 * @param value a {@link Double}, a {@link String} or, for {@code IN}, a {@link List} of strings
 */
public record FilterClause(Entity entity, String key, FilterOperator op, Object value) {}
