package dev.mlops.tracking.internal;

/** A comparison operator of the filter grammar, with its SQL spelling where it has one. */
public enum FilterOperator {
  EQ("="),
  NE("<>"),
  GT(">"),
  GE(">="),
  LT("<"),
  LE("<="),
  LIKE("LIKE"),
  ILIKE("ILIKE"),
  IN("IN"),
  NOT_IN("NOT IN");

  private final String sql;

  FilterOperator(String sql) {
    this.sql = sql;
  }

  /** The SQL operator. */
  public String sql() {
    return sql;
  }

  /** Whether the operator compares numbers or strings by order or equality. */
  public boolean isOrdering() {
    return this == EQ || this == NE || this == GT || this == GE || this == LT || this == LE;
  }
}
