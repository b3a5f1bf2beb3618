package org.ser4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HH-RLHF transcripts: "\n\nHuman: ...\n\nAssistant: ..." split into turns. */
public final class Transcript {
  private static final Pattern MARKER = Pattern.compile("\n\n(Human|Assistant):");

  /** The text before the first marker (usually empty), and the turns, each content stripped. */
  public record Parsed(String preamble, List<Turn> turns) {}

  private Transcript() {}

  public static Parsed parse(String text) {
    Matcher m = MARKER.matcher(text);
    List<Turn> turns = new ArrayList<>();
    Role role = null;
    int start = 0;
    String preamble = text;
    while (m.find()) {
      if (role == null) {
        preamble = text.substring(0, m.start());
      } else {
        turns.add(new Turn(role, text.substring(start, m.start()).strip()));
      }
      role = m.group(1).equals("Human") ? Role.USER : Role.ASSISTANT;
      start = m.end();
    }
    if (role != null) {
      turns.add(new Turn(role, text.substring(start).strip()));
    }
    return new Parsed(preamble, turns);
  }
}
