package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The preference-data formats SER4J reads. */
public enum PreferenceFormat {
  /**
   * Anthropic HH-RLHF: {@code chosen}/{@code rejected} are whole "\n\nHuman:/\n\nAssistant:"
   * transcripts.
   */
  HH_RLHF("hh-rlhf", new HhRlhfParser()),
  /** TRL: {@code prompt}, {@code chosen}, {@code rejected}, each a string or a list of messages. */
  TRL("trl", new TrlParser()),
  /** UltraFeedback: an {@code instruction} with rated {@code completions}. */
  ULTRAFEEDBACK("ultrafeedback", new UltraFeedbackParser()),
  /**
   * OpenAI summarize-from-feedback comparisons: {@code info.post}, two {@code summaries}, {@code
   * choice}.
   */
  SUMMARIZE("summarize", new SummarizeParser()),
  /** StackExchange preferences: a {@code question} with scored {@code answers}. */
  STACKEXCHANGE("stackexchange", new StackExchangeParser()),
  /**
   * Pairwise judgments: {@code prompt}, {@code response_a}, {@code response_b} and {@code
   * preferred} ("a" or "b"), as `ser ask` writes them for people to fill in.
   */
  PAIRWISE("pairwise", new PairwiseParser());

  private final String cliName;
  private final RecordParser parser;

  PreferenceFormat(String cliName, RecordParser parser) {
    this.cliName = cliName;
    this.parser = parser;
  }

  RecordParser parser() {
    return parser;
  }

  public String cliName() {
    return cliName;
  }

  @Override
  public String toString() {
    return cliName;
  }

  /** Parses a CLI name such as {@code hh-rlhf} (case-insensitive; '_' and '-' alike). */
  public static PreferenceFormat fromName(String name) {
    for (PreferenceFormat format : values()) {
      if (format.cliName.equalsIgnoreCase(name.replace('_', '-'))) {
        return format;
      }
    }
    List<String> names = new ArrayList<>();
    for (PreferenceFormat format : values()) {
      names.add(format.cliName);
    }
    throw new IllegalArgumentException("unknown format '" + name + "'; expected one of " + names);
  }

  /** Guesses the format from a record's field names, the way a person reading it would. */
  public static Optional<PreferenceFormat> detect(JsonNode record) {
    if (!record.isObject()) {
      return Optional.empty();
    }
    if (record.has("summaries") && record.has("choice")) {
      return Optional.of(SUMMARIZE);
    }
    if (record.has("answers") && (record.has("question") || record.has("qid"))) {
      return Optional.of(STACKEXCHANGE);
    }
    if (record.has("response_a") && record.has("preferred")) {
      return Optional.of(PAIRWISE);
    }
    if (record.has("completions")) {
      return Optional.of(ULTRAFEEDBACK);
    }
    if (record.has("chosen") && record.has("rejected")) {
      boolean transcript = record.get("chosen").isTextual() && !record.has("prompt");
      return Optional.of(transcript ? HH_RLHF : TRL);
    }
    return Optional.empty();
  }
}
