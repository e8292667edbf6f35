package dev.mlops.tracking.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The SQL of a run search. Each metric, param or tag clause is a set of run ids read from a
 * covering {@code (key, value, ..., run_id)} index, so the database intersects the sets with the
 * experiment's runs without reading a table; sorts join {@code latest_metrics}, params or tags,
 * one row per run and key, through the primary key. The query
 * returns run ids only, one more than the page holds to tell whether another page follows.
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
    List<Object> whereArgs = new ArrayList<>();
    StringBuilder joins = new StringBuilder();
    StringBuilder order = new StringBuilder();
    int alias = 0;
    for (OrderClause o : query.orderBy()) {
      String dir = o.ascending() ? " ASC" : " DESC";
      switch (o.entity()) {
        case ATTRIBUTE -> order.append(attributeColumn(o.key())).append(dir).append(", ");
        case METRIC -> {
          String a = "o" + alias++;
          joins.append(" LEFT JOIN latest_metrics ").append(a).append(" ON ").append(a)
              .append(".run_id = r.run_id AND ").append(a).append(".key = ?");
          joinArgs.add(o.key());
          // runs without the metric, or with NaN, come last in either direction
          order.append("CASE WHEN ").append(a).append(".run_id IS NULL OR ").append(a).append(".value_kind = ")
              .append(JdbcStore.KIND_NAN).append(" THEN 1 ELSE 0 END, ").append(a).append(".value").append(dir)
              .append(", ");
        }
        case PARAM, TAG -> {
          String a = "o" + alias++;
          String table = o.entity() == Entity.PARAM ? "params" : "tags";
          joins.append(" LEFT JOIN ").append(table).append(' ').append(a).append(" ON ").append(a)
              .append(".run_id = r.run_id AND ").append(a).append(".key = ?");
          joinArgs.add(o.key());
          order.append("CASE WHEN ").append(a).append(".run_id IS NULL THEN 1 ELSE 0 END, ").append(a)
              .append(".value").append(dir).append(", ");
        }
      }
    }
    order.append("r.start_time DESC, r.run_id ASC");

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
          where.append("r.run_id IN (SELECT m.run_id FROM latest_metrics m WHERE m.key = ? AND m.value ")
              .append(f.op().sql()).append(" ? AND m.value_kind <> ").append(JdbcStore.KIND_NAN).append(')');
          whereArgs.add(f.key());
          whereArgs.add(f.value());
        }
        case PARAM, TAG -> {
          String table = f.entity() == Entity.PARAM ? "params" : "tags";
          whereArgs.add(f.key());
          String match = stringMatch("k.value", f, dialect, whereArgs);
          where.append("r.run_id IN (SELECT k.run_id FROM ").append(table).append(" k WHERE k.key = ? AND ")
              .append(match).append(')');
        }
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
