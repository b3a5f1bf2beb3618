package org.ser4j.spark;

import java.io.Serializable;

/** One pair's two vectors, kept on the executors for the whole run. */
record PairVectors(int key, float[] first, float[] second) implements Serializable {}
