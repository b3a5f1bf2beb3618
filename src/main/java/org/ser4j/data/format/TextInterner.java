package org.ser4j.data.format;

import java.util.HashMap;
import java.util.Map;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;

/**
 * Holds each distinct text of a file once: pools re-pair the same answers and repeat the same
 * prompts many times (a 1M-pair pool of AlpacaEval answers has about 34k distinct texts), and a
 * parser makes a new string for every occurrence.
 */
public final class TextInterner {
  private final Map<String, String> texts = new HashMap<>();
  private final Map<Prompt, Prompt> prompts = new HashMap<>();

  public String text(String s) {
    String held = texts.putIfAbsent(s, s);
    return held == null ? s : held;
  }

  public Prompt prompt(Prompt p) {
    Prompt held = prompts.putIfAbsent(p, p);
    return held == null ? p : held;
  }

  public PreferencePair pair(PreferencePair p) {
    return new PreferencePair(
        p.id(), prompt(p.prompt()), text(p.chosen()), text(p.rejected()), p.source());
  }
}
