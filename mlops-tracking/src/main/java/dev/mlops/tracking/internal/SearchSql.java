package dev.mlops.tracking.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of a run search. Each distinct metric, param or tag key a filter names is one set of
 * run ids, {@code r.run_id IN (SELECT run_id FROM latest_metrics | params | tags WHERE key = ?
 * AND …)}, read from the covering {@code (key, value, …, run_id)} index with every clause on that
 * key as a condition of the one subquery, so a filter that repeats a key a hundred times costs
 * what one clause does, and the database checks the experiment's runs against a few small sets
 * instead of joining every run to a table row per key (which measured three times slower on
 * SQLite). A sort on a key is a left join on the table's primary key (run, key), so runs without
 * the key still appear. The query returns run ids only, one more than the page holds to tell
 * whether another page follows.
 */
final class SearchSql {
  private final String text;
  private final List<Object> args;

  private SearchSql(String text, List<Object> args) {
    this.text = text;
    this.args = args;
  }

  String text() {
    return text;
  }

  void bind(PreparedStatement p) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Double d) {
        p.setDouble(i + 1, d);
      } else if (a instanceof Long l) {
        p.setLong(i + 1, l);
      } else if (a instanceof Integer n) {
        p.setInt(i + 1, n);
      } else {
        p.setString(i + 1, (String) a);
      }
    }
  }

  static SearchSql build(SearchQuery query, Dialect dialect) {
    List<Object> joinArgs = new ArrayList<>();
    StringBuilder joins = new StringBuilder();
    StringBuilder order = new StringBuilder();
    Map<String, String> sortAliases = new LinkedHashMap<>();
    for (OrderClause o : query.orderBy()) {
      String dir = o.ascending() ? " ASC" : " DESC";
      if (o.entity() == Entity.ATTRIBUTE) {
        order.append(attributeColumn(o.key())).append(dir).append(", ");
        continue;
      }
      String a = sortAliases.get(joinKey(o.entity(), o.key()));
      if (a == null) {
        a = "o" + sortAliases.size();
        sortAliases.put(joinKey(o.entity(), o.key()), a);
        joins.append(" LEFT JOIN ").append(table(o.entity())).append(' ').append(a).append(" ON ").append(a)
            .append(".run_id = r.run_id AND ").append(a).append(".key = ?");
        joinArgs.add(o.key());
      }
      order.append("CASE WHEN ").append(a).append(".run_id IS NULL");
      if (o.entity() == Entity.METRIC) {
        // runs without the metric, or with NaN, come last in either direction
        order.append(" OR ").append(a).append(".value_kind = ").append(JdbcStore.KIND_NAN);
      }
      order.append(" THEN 1 ELSE 0 END, ").append(a).append(".value").append(dir).append(", ");
    }
    order.append("r.start_time DESC, r.run_id ASC");

    List<Object> whereArgs = new ArrayList<>();
    StringBuilder where = new StringBuilder("r.experiment_id IN (")
        .append(String.join(", ", Collections.nCopies(query.experimentIds().size(), "?"))).append(')');
    for (String id : query.experimentIds()) {
      whereArgs.add(Long.valueOf(id));
    }
    if (!query.includeDeleted()) {
      where.append(" AND r.lifecycle_stage = 'active'");
    }
    // One set per distinct key, in the order the filter first names it, with all of its clauses.
    Map<String, List<FilterClause>> byKey = new LinkedHashMap<>();
    for (FilterClause f : query.filter()) {
      if (f.entity() == Entity.ATTRIBUTE) {
        where.append(" AND ").append(attributeMatch(f, dialect, whereArgs));
      } else {
        byKey.computeIfAbsent(joinKey(f.entity(), f.key()), k -> new ArrayList<>()).add(f);
      }
    }
    for (List<FilterClause> clauses : byKey.values()) {
      FilterClause first = clauses.get(0);
      where.append(" AND r.run_id IN (SELECT k.run_id FROM ").append(table(first.entity()))
          .append(" k WHERE k.key = ?");
      whereArgs.add(first.key());
      for (FilterClause f : clauses) {
        where.append(" AND ");
        if (f.entity() == Entity.METRIC) {
          where.append("k.value ").append(f.op().sql()).append(" ?");
          whereArgs.add(f.value());
        } else {
          where.append(stringMatch("k.value", f, dialect, whereArgs));
        }
      }
      if (first.entity() == Entity.METRIC) {
        where.append(" AND k.value_kind <> ").append(JdbcStore.KIND_NAN);
      }
      where.append(')');
    }
    List<Object> args = new ArrayList<>(joinArgs);
    args.addAll(whereArgs);
    args.add(query.limit() + 1);
    args.add(query.offset());
    String sql = "SELECT r.run_id FROM runs r" + joins + " WHERE " + where + " ORDER BY " + order + " LIMIT ? OFFSET ?";
    return new SearchSql(sql, args);
  }

  private static String joinKey(Entity entity, String key) {
    return entity + "." + key;
  }

  private static String table(Entity entity) {
    return switch (entity) {
      case METRIC -> "latest_metrics";
      case PARAM -> "params";
      case TAG -> "tags";
      case ATTRIBUTE -> throw new IllegalArgumentException("attributes are columns of runs, not tables");
    };
  }

  private static String attributeColumn(String attribute) {
    return switch (attribute) {
      case "run_id" -> "r.run_id";
      case "run_name" -> "r.name";
      case "status" -> "r.status";
      case "start_time" -> "r.start_time";
      case "end_time" -> "r.end_time";
      default -> throw new IllegalArgumentException("unknown attribute " + attribute);
    };
  }

  private static String attributeMatch(FilterClause f, Dialect dialect, List<Object> args) {
    String column = attributeColumn(f.key());
    if (f.value() instanceof Double d) {
      args.add(d);
      return column + " " + f.op().sql() + " ?";
    }
    if (f.value() instanceof List<?> list) {
      for (Object v : list) {
        args.add(v);
      }
      return column + " " + f.op().sql() + " (" + String.join(", ", Collections.nCopies(list.size(), "?")) + ")";
    }
    return stringMatch(column, f, dialect, args);
  }

  private static String stringMatch(String column, FilterClause f, Dialect dialect, List<Object> args) {
    String value = (String) f.value();
    switch (f.op()) {
      case LIKE, ILIKE -> {
        boolean ci = f.op() == FilterOperator.ILIKE;
        args.add(dialect.likePattern(value, ci));
        return dialect.like(column, ci);
      }
      default -> {
        args.add(value);
        return column + " " + f.op().sql() + " ?";
      }
    }
  }
}
