package org.ser4j.encoder;

/** What the encoder reads for one (prompt, response) to make the reward model's features. */
public enum InputStrategy {
  /** One sequence: the prompt's tail and the response, as a BERT sentence pair. */
  PAIR,
  /** PAIR's vector concatenated with the response encoded alone (twice the width). */
  PAIR_AND_RESPONSE,
  /** The response alone: the prompt is ignored. */
  RESPONSE;

  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '+').replace("+and+", "+");
  }

  public static InputStrategy fromName(String name) {
    for (InputStrategy s : values()) {
      if (s.cliName().equalsIgnoreCase(name) || s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown input strategy '" + name + "'; expected pair, pair+response or response");
  }

  /**
   * What {@code input}'s vector depends on: the response alone for {@link #RESPONSE}, else the
   * prompt and the response. Inputs with equal identities get the same vector, so each is encoded
   * and held once (a re-paired pool puts one answer beside several prompts).
   */
  public Object identity(ResponseInput input) {
    return this == RESPONSE ? input.response() : input;
  }

  /** Sequences encoded per input: pair+response reads two, the others one. */
  public int segments() {
    return this == PAIR_AND_RESPONSE ? 2 : 1;
  }
}
