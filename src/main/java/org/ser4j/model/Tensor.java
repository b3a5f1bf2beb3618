package org.ser4j.model;

/** A named float tensor's shape and values (row-major), as safetensors stores it. */
public record Tensor(long[] shape, float[] values) {}
