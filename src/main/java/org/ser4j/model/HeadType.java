package org.ser4j.model;

/** The shape of the reward head. */
public enum HeadType {
  LINEAR,
  MLP
}
