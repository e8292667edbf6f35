package dev.mlops.tracking.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of a run search. Each distinct metric, param or tag key the search names is one join
 * of {@code latest_metrics}, {@code params} or {@code tags} on its primary key (run, key): an
 * inner join when a filter clause names the key, so a run without it never matches, a left join
 * when only a sort does. Every clause on that key is a condition on the one join, so a filter
 * that repeats a key a hundred times costs what one clause does. The query returns run ids only,
 * one more than the page holds to tell whether another page follows.
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
    // One join per distinct key, whatever the number of clauses and terms that name it: the cost
    // of the query grows with the keys a search names (bounded by the parser), not with its text.
    Map<String, String> aliases = new LinkedHashMap<>();
    List<Object> joinArgs = new ArrayList<>();
    StringBuilder joins = new StringBuilder();
    for (FilterClause f : query.filter()) {
      if (f.entity() != Entity.ATTRIBUTE) {
        join(f.entity(), f.key(), " JOIN ", aliases, joins, joinArgs);
      }
    }
    StringBuilder order = new StringBuilder();
    for (OrderClause o : query.orderBy()) {
      String dir = o.ascending() ? " ASC" : " DESC";
      if (o.entity() == Entity.ATTRIBUTE) {
        order.append(attributeColumn(o.key())).append(dir).append(", ");
        continue;
      }
      String a = join(o.entity(), o.key(), " LEFT JOIN ", aliases, joins, joinArgs);
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
    for (FilterClause f : query.filter()) {
      where.append(" AND ");
      switch (f.entity()) {
        case METRIC -> {
          String a = aliases.get(joinKey(f.entity(), f.key()));
          where.append(a).append(".value ").append(f.op().sql()).append(" ? AND ").append(a).append(".value_kind <> ")
              .append(JdbcStore.KIND_NAN);
          whereArgs.add(f.value());
        }
        case PARAM, TAG -> where.append(stringMatch(aliases.get(joinKey(f.entity(), f.key())) + ".value", f, dialect,
            whereArgs));
        case ATTRIBUTE -> where.append(attributeMatch(f, dialect, whereArgs));
      }
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

  // The alias of the key's join, added (as an inner join for filters, a left join for sorts) when it is new.
  private static String join(Entity entity, String key, String kind, Map<String, String> aliases, StringBuilder joins,
      List<Object> joinArgs) {
    String existing = aliases.get(joinKey(entity, key));
    if (existing != null) {
      return existing;
    }
    String a = "k" + aliases.size();
    aliases.put(joinKey(entity, key), a);
    String table = switch (entity) {
      case METRIC -> "latest_metrics";
      case PARAM -> "params";
      case TAG -> "tags";
      case ATTRIBUTE -> throw new IllegalArgumentException("attributes are columns of runs, not joins");
    };
    joins.append(kind).append(table).append(' ').append(a).append(" ON ").append(a).append(".run_id = r.run_id AND ")
        .append(a).append(".key = ?");
    joinArgs.add(key);
    return a;
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
