package org.ser4j.model.head;

/** The shape of the reward head. */
public enum HeadType {
  LINEAR,
  MLP
}
