package dev.mlops.core;

import static dev.mlops.core.Mentions.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"a/b", "a.b-c d", "a:b", "loss", "val/loss_1", "épocas", "x..y", "a."})
  void acceptsMlflowKeys(String key) {
    assertEquals(key, Names.checkKey("metric", key));
    assertTrue(Names.isValidKey(key));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "/x", "a//b", "a/./b", ".", "..", "a/", "a/../b", "..x", "...", "", "a\\b", "a;b", "a\nb"})
  void refusesKeysThatAreNotNormalisedOrHaveBadCharacters(String key) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Names.checkKey("param", key));
    assertMentions(e, "param key");
    assertFalse(Names.isValidKey(key));
  }

  @Test
  void refusesTooLongKeysAndValues() {
    String ok = "k".repeat(250);
    assertEquals(ok, Names.checkKey("tag", ok));
    assertMentions(assertThrows(InvalidInputException.class, () -> Names.checkKey("tag", ok + "k")), "251", "250");
    assertEquals(6000, Names.checkParamValue("p", "v".repeat(6000)).length());
    assertMentions(assertThrows(InvalidInputException.class, () -> Names.checkParamValue("p", "v".repeat(6001))), "'p'", "6000");
    assertEquals(5000, Names.checkTagValue("t", "v".repeat(5000)).length());
    assertMentions(assertThrows(InvalidInputException.class, () -> Names.checkTagValue("t", "v".repeat(5001))), "'t'", "5000");
    assertMentions(assertThrows(InvalidInputException.class, () -> Names.checkTagValue("t", null)), "'t'", "null");
  }
}
