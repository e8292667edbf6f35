package dev.mlops.tracking.internal;

import java.util.List;

/**
 * A parsed run search.
 *
 * @param experimentIds the experiments to search in
 * @param filter the clauses, all of which must hold
 * @param orderBy the sort keys, most significant first
 * @param limit the most runs to return
 * @param offset how many matching runs to skip
 * @param includeDeleted whether deleted runs are included
 */
public record SearchQuery(
    List<String> experimentIds,
    List<FilterClause> filter,
    List<OrderClause> orderBy,
    int limit,
    int offset,
    boolean includeDeleted) {
  public SearchQuery {
    experimentIds = List.copyOf(experimentIds);
    filter = List.copyOf(filter);
    orderBy = List.copyOf(orderBy);
  }
}
