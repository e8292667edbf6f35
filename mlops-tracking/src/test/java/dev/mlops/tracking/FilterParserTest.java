package dev.mlops.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.tracking.internal.Entity;
import dev.mlops.tracking.internal.FilterClause;
import dev.mlops.tracking.internal.FilterOperator;
import dev.mlops.tracking.internal.FilterParser;
import dev.mlops.tracking.internal.OrderClause;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FilterParserTest {
  @Test
  void readsEveryKindOfClause() {
    List<FilterClause> clauses = FilterParser.parseFilter(
        "metrics.acc >= 0.9 AND params.lr = '0.1' and tags.`my tag` ILIKE \"%x%\" and attribute.run_id IN ('a','b')"
            + " and metric.\"val loss\" < -1e-3 and attributes.status != 'FAILED' and params.name = 'it''s'");
    assertEquals(List.of(
        new FilterClause(Entity.METRIC, "acc", FilterOperator.GE, 0.9),
        new FilterClause(Entity.PARAM, "lr", FilterOperator.EQ, "0.1"),
        new FilterClause(Entity.TAG, "my tag", FilterOperator.ILIKE, "%x%"),
        new FilterClause(Entity.ATTRIBUTE, "run_id", FilterOperator.IN, List.of("a", "b")),
        new FilterClause(Entity.METRIC, "val loss", FilterOperator.LT, -1e-3),
        new FilterClause(Entity.ATTRIBUTE, "status", FilterOperator.NE, "FAILED"),
        new FilterClause(Entity.PARAM, "name", FilterOperator.EQ, "it's")), clauses);
    assertEquals(List.of(), FilterParser.parseFilter("  "));
  }

  @Test
  void readsOrderTerms() {
    assertEquals(new OrderClause(Entity.METRIC, "acc", false), FilterParser.parseOrder("metrics.acc DESC"));
    assertEquals(new OrderClause(Entity.PARAM, "lr", true), FilterParser.parseOrder("params.lr"));
    assertEquals(new OrderClause(Entity.ATTRIBUTE, "start_time", true), FilterParser.parseOrder("attributes.start_time asc"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "metrics.acc >> 0.9|13",
      "metrics.acc > 0.9 and|21",
      "metrics.acc > 'high'|14",
      "params.lr > '0.1'|10",
      "params.lr = 0.1|12",
      "banana.x = '1'|0",
      "metrics = 1|7",
      "metrics.acc > 0.9 or metrics.b < 1|18",
      "params.lr = '0.1|12",
      "attributes.colour = 'red'|11",
      "tags.t IN ('a')|7",
      "attributes.run_id IN 'a'|21",
      "metrics.acc LIKE '1'|12",
      "metrics.acc > 0.9 params.lr = '1'|18",
      "metrics. > 1|8",
      "metrics.acc > 1.2.3|14"})
  void reportsSyntaxErrorsWithThePosition(String filter, int position) {
    FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> FilterParser.parseFilter(filter));
    assertEquals(position, e.position(), e.getMessage());
    assertEquals(filter, e.filter());
    assertTrue(e.getMessage().contains(filter + "\n  " + " ".repeat(position) + "^"), e.getMessage());
  }
}
