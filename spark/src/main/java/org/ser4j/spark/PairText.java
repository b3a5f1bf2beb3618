package org.ser4j.spark;

import java.io.Serializable;
import org.ser4j.data.Prompt;

/** One pair's texts as shipped to the executors: the key says where its vectors go back. */
record PairText(int key, Prompt prompt, String first, String second) implements Serializable {}
