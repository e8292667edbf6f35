package dev.mlops.server.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The CSV reader of artifact previews: any text is read without failing, within its row bound, and quoting round-trips. */
class CsvPreviewTest {
  @Property(tries = 300)
  void anyTextIsReadWithinTheRowBound(@ForAll("csvish") String text, @ForAll @IntRange(min = 1, max = 50) int most) {
    List<List<String>> rows = ArtifactView.Csv.parse(text, ',', most);
    assertTrue(rows.size() <= most);
    int cells = rows.stream().mapToInt(List::size).sum();
    assertTrue(cells <= text.length() + rows.size() + 1, "no cell is made from nothing");
  }

  @Provide
  Arbitrary<String> csvish() {
    return Arbitraries.strings().withChars(',', '"', '\n', '\r', 'a', 'b', ' ', '\u00e9').ofMaxLength(300);
  }

  @Property(tries = 300)
  void quotedCellsComeBackAsWritten(@ForAll("cells") List<List<String>> table) {
    StringBuilder text = new StringBuilder();
    for (List<String> row : table) {
      List<String> quoted = new ArrayList<>();
      row.forEach(c -> quoted.add("\"" + c.replace("\"", "\"\"") + "\""));
      text.append(String.join(",", quoted)).append("\r\n");
    }
    assertEquals(table, ArtifactView.Csv.parse(text.toString(), ',', table.size() + 1));
  }

  @Provide
  Arbitrary<List<List<String>>> cells() {
    Arbitrary<String> cell = Arbitraries.strings().withChars(',', '"', '\n', 'x', '<', '>').ofMaxLength(8);
    return cell.list().ofMinSize(1).ofMaxSize(4).list().ofMaxSize(6);
  }

  @Test
  void sizesAreReadable() {
    assertEquals("512 B", ArtifactView.size(512));
    assertEquals("1.5 KiB", ArtifactView.size(1536));
    assertEquals("64.0 MiB", ArtifactView.size(ArtifactView.MAX_RAW));
  }
}
