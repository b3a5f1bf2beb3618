package org.ser4j.model;

/** A named float tensor's shape and values (row-major), as safetensors stores it. */
/** Serializable: a cluster ships heads to its executors. */
public record Tensor(long[] shape, float[] values) implements java.io.Serializable {}
