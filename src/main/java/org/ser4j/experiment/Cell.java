package org.ser4j.experiment;

import java.util.List;
import java.util.Map;
import org.ser4j.ser.LoopReport;

/**
 * One (labeled fraction, seed) cell of an experiment: the seed-only, SER and full-label RMs' test
 * accuracy (full NaN when skipped), the SER run's loops, the loop it kept and why it stopped, and
 * each RM's best-of-n results (empty without candidates), and the encoder it read (with `--encoder
 * auto`, the one its labeled pairs chose).
 */
public record Cell(
    double fraction,
    long seed,
    double seedOnly,
    double ser,
    double full,
    List<LoopReport> loops,
    int keptLoop,
    String stop,
    Map<String, ExperimentBestOfN.Result> bestOfN,
    String encoder) {}
