package org.ser4j.spark;

import java.io.Serializable;
import org.ser4j.encoder.ResponseInput;

/** One distinct text (a response in its prompt's context) as shipped to the executors. */
record TextRow(int id, ResponseInput input) implements Serializable {}
