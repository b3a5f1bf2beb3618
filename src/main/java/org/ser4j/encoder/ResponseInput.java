package org.ser4j.encoder;

import org.ser4j.data.Prompt;

/** What a reward is given for: a response to a prompt. */
public record ResponseInput(Prompt prompt, String response) implements java.io.Serializable {}
