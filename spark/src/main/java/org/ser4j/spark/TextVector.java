package org.ser4j.spark;

import java.io.Serializable;

/** One distinct text's vector, kept on the executors for the whole run. */
record TextVector(int id, float[] vector) implements Serializable {}
