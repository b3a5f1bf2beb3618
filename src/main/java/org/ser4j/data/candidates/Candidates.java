package org.ser4j.data.candidates;

import java.util.List;
import org.ser4j.data.Prompt;

/**
 * One prompt and its candidate responses, for best-of-n. {@code scores} holds a gold judgment per
 * candidate (for example 1 where the response beat a reference answer) or is null; {@code
 * preferred} is the index of a human's choice or -1; {@code sources} names the system behind each
 * candidate where known (else empty).
 */
public record Candidates(
    String id,
    Prompt prompt,
    List<String> responses,
    double[] scores,
    int preferred,
    List<String> sources) {

  public Candidates {
    responses = List.copyOf(responses);
    sources = List.copyOf(sources);
    if (responses.isEmpty()) {
      throw new IllegalArgumentException("a candidate set needs at least one response");
    }
    if (scores != null && scores.length != responses.size()) {
      throw new IllegalArgumentException(
          scores.length + " scores for " + responses.size() + " responses");
    }
    if (!sources.isEmpty() && sources.size() != responses.size()) {
      throw new IllegalArgumentException(
          sources.size() + " sources for " + responses.size() + " responses");
    }
  }

  public int size() {
    return responses.size();
  }

  public boolean judged() {
    return scores != null;
  }
}
