package org.ser4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Content ids against Python's hashlib (an independent SHA-256) on the same bytes. */
class ContentIdTest {
  @Test
  void idIsTheSha256PrefixOfPromptAndAnswersInEitherOrder() {
    // python3: sha256 over (4-byte big-endian length + UTF-8) of "Human: Is the sky blue?",
    // "No.", "Yes, on a clear day." (the answers in string order); first 16 hex digits.
    Prompt sky = Prompt.of("Is the sky blue?");
    long id = ContentId.of(sky, "Yes, on a clear day.", "No.");
    assertEquals("6268f8c804561421", ContentId.hex(id));
    assertEquals(id, ContentId.of(sky, "No.", "Yes, on a clear day."), "either order");
    assertEquals(id, Long.parseUnsignedLong(ContentId.hex(id), 16), "hex reads back");
    assertEquals(
        "87ad23a49a2468e2",
        ContentId.hex(ContentId.of(Prompt.of("Héllo ☃"), "b", "a")),
        "UTF-8 bytes");
    assertNotEquals(
        id, ContentId.of(Prompt.of("Is the sky green?"), "No.", "Yes, on a clear day."));
    // Lengths keep the parts apart: moving a character across a boundary changes the id.
    assertNotEquals(ContentId.of(sky, "ab", "c"), ContentId.of(sky, "a", "bc"));
  }
}
