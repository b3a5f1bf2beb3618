package org.ser4j.encoder;

/** How a sequence's token states become one vector. */
public enum Pooling {
  /** The mask-weighted mean of token states (sentence-transformers' default, e.g. MiniLM). */
  MEAN,
  /** The first ([CLS]) token's state (BGE's choice). */
  CLS
}
