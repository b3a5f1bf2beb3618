package org.ser4j.data.split;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.format.ReadOptions;

/**
 * What a training command reads, in one of two modes.
 *
 * <ul>
 *   <li>The experiment (simulation): one labeled training file, of which a labeled fraction keeps
 *       its labels (the seed) and the rest becomes the pool, its labels hidden and used only to
 *       measure self-label precision; a test file or a test fraction of the training file (split by
 *       prompt).
 *   <li>Your own data: human-labeled files ({@code labeled}), an unlabeled pool ({@code unlabeled},
 *       no label is ever read from it), an optional test file, and labels people added to the run
 *       later ({@code addedLabels}, in the order they came).
 * </ul>
 */
public record DataSpec(
    Path train,
    Path test,
    Double testFraction,
    double labeledFraction,
    long seed,
    ReadOptions read,
    List<Path> labeled,
    Path unlabeled,
    List<Path> addedLabels) {
  public DataSpec {
    labeled = labeled == null ? List.of() : List.copyOf(labeled);
    addedLabels = addedLabels == null ? List.of() : List.copyOf(addedLabels);
    if (!labeled.isEmpty()) {
      if (train != null || testFraction != null) {
        throw new IllegalArgumentException(
            "with human labels (--labeled), give --unlabeled FILE and optionally --test FILE, not --train or --test-fraction");
      }
    } else {
      if (unlabeled != null) {
        throw new IllegalArgumentException("an unlabeled pool needs human labels: --labeled FILE");
      }
      if (!addedLabels.isEmpty()) {
        throw new IllegalArgumentException(
            "labels can be added only to a run on your own data (--labeled, --unlabeled)");
      }
      if (train == null) {
        throw new IllegalArgumentException("missing --train FILE (or --labeled FILE)");
      }
      if ((test == null) == (testFraction == null)) {
        throw new IllegalArgumentException(
            "give either a test file or a test fraction, not both or neither");
      }
    }
  }

  /** The experiment: labels of {@code train} hidden except a {@code labeledFraction}. */
  public DataSpec(
      Path train,
      Path test,
      Double testFraction,
      double labeledFraction,
      long seed,
      ReadOptions read) {
    this(train, test, testFraction, labeledFraction, seed, read, null, null, null);
  }

  /**
   * Your own data: human labels, an unlabeled pool (null: none, for training on the labels alone),
   * an optional test file (null: none).
   */
  public static DataSpec ownData(
      List<Path> labeled, Path unlabeled, Path test, long seed, ReadOptions read) {
    return new DataSpec(null, test, null, 1.0, seed, read, labeled, unlabeled, null);
  }

  /** Whether this is your own data (human-labeled files), else the experiment. */
  public boolean ownData() {
    return !labeled.isEmpty();
  }

  /** The same experiment on another training file (another sample of the same data). */
  public DataSpec withTrain(Path file) {
    return new DataSpec(
        file, test, testFraction, labeledFraction, seed, read, labeled, unlabeled, addedLabels);
  }

  /**
   * This data without its unlabeled pool: what this process reads when an engine reads the pool.
   */
  public DataSpec withoutUnlabeled() {
    return new DataSpec(
        train, test, testFraction, labeledFraction, seed, read, labeled, null, addedLabels);
  }

  /** This data with {@code file}'s human labels added to the seed. */
  public DataSpec withAddedLabels(Path file) {
    List<Path> added = new ArrayList<>(addedLabels);
    added.add(file);
    return new DataSpec(
        train, test, testFraction, labeledFraction, seed, read, labeled, unlabeled, added);
  }
}
