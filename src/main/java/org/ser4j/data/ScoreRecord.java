package org.ser4j.data;

/** One response to score: {@code {"prompt": ..., "response": ...}} in a JSON Lines file. */
public record ScoreRecord(String id, Prompt prompt, String response, SourceRef source) {}
