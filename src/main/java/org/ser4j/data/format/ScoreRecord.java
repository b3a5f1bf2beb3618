package org.ser4j.data.format;

import org.ser4j.data.Prompt;
import org.ser4j.data.SourceRef;

/** One response to score: {@code {"prompt": ..., "response": ...}} in a JSON Lines file. */
public record ScoreRecord(String id, Prompt prompt, String response, SourceRef source) {}
