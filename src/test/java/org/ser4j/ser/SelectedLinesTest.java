package org.ser4j.ser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A loop's selected.jsonl read as one file or, as the executors write it, as a directory of part
 * files: the parts' lines in name order, a part's temporary file left out.
 */
class SelectedLinesTest {
  private static String line(int key, boolean first) {
    return "{\"pool_key\":"
        + key
        + ",\"first_preferred\":"
        + first
        + ",\"s_first\":0.9,\"s_second\":0.1,\"prompt\":\"q\",\"chosen\":\"a\",\"rejected\":\"b\"}";
  }

  @Test
  void partsReadInNameOrderAreTheFile(@TempDir Path dir) throws Exception {
    Path one = dir.resolve("one").resolve(RunStore.SELECTED);
    Files.createDirectories(one.getParent());
    Files.write(one, List.of(line(3, true), line(8, false), "", line(12, true)));
    Path parts = dir.resolve("parts").resolve(RunStore.SELECTED);
    Files.createDirectories(parts);
    Files.write(parts.resolve("part-00001.jsonl"), List.of(line(12, true)));
    Files.write(parts.resolve("part-00000.jsonl"), List.of(line(3, true), line(8, false)));
    Files.write(parts.resolve(".part-00002.jsonl.tmp"), List.of(line(99, true)));
    Files.write(parts.resolve("part-00002.jsonl"), List.of());
    List<String> expected = List.of(line(3, true), line(8, false), line(12, true));
    assertEquals(expected, RunStore.selectedLines(one), "blank lines left out");
    assertEquals(expected, RunStore.selectedLines(parts), "name order, no temporary file");
  }

  @Test
  void aRunReadsItsSavedLabelsFromParts(@TempDir Path dir) throws Exception {
    RunStore store = new RunStore(dir);
    Path parts = store.loopDir(1).resolve(RunStore.SELECTED);
    Files.createDirectories(parts);
    Files.write(parts.resolve("part-00000.jsonl"), List.of(line(3, true)));
    Files.write(parts.resolve("part-00001.jsonl"), List.of(line(8, false)));
    List<RunStore.SavedLabel> saved = store.readSelected(1);
    assertEquals(List.of(3, 8), saved.stream().map(RunStore.SavedLabel::poolKey).toList());
    assertEquals(
        List.of(true, false), saved.stream().map(RunStore.SavedLabel::firstPreferred).toList());
  }

  /** A pool of {@code n} pairs, keys 0 to n - 1; picking is not what these tests read. */
  private static org.ser4j.ser.select.Pool poolOf(int n) {
    List<org.ser4j.data.UnlabeledPair> pairs = new java.util.ArrayList<>();
    for (int k = 0; k < n; k++) {
      pairs.add(new org.ser4j.data.UnlabeledPair(k, "p" + k, null, "a" + k, "b" + k, null));
    }
    return new org.ser4j.ser.select.Pool() {
      @Override
      public long size() {
        return n;
      }

      @Override
      public long left(org.ser4j.ser.select.Taken taken) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Round pick(
          org.ser4j.model.TrainedModel model,
          org.ser4j.ser.select.Taken taken,
          org.ser4j.ser.select.PairSelection.Context context) {
        throw new UnsupportedOperationException();
      }

      @Override
      public java.util.function.IntFunction<org.ser4j.data.UnlabeledPair> saved(
          int[] keys, long[] ids) {
        return org.ser4j.data.UnlabeledPair.byKey(pairs);
      }
    };
  }

  /** A run in {@code dir} whose loop 1 saved {@code lines} as its selected.jsonl. */
  private static RunStore loopOneSaved(Path dir, String... lines) throws Exception {
    RunStore store = new RunStore(dir);
    Path file = store.loopDir(1).resolve(RunStore.SELECTED);
    Files.createDirectories(file.getParent());
    Files.write(file, List.of(lines));
    return store;
  }

  @Test
  void aResumedRunsSavedLabelsStandOverItsPool(@TempDir Path dir) throws Exception {
    RunStore store = loopOneSaved(dir, line(3, true), line(8, false));
    RunStore.Standing standing =
        store.standingSelfLabels(org.ser4j.data.split.SerDataset.AddedLabels.NONE, 2, poolOf(10));
    assertEquals(
        List.of(3, 8), standing.labels().stream().map(l -> l.pair().key()).toList(), "by key");
    assertEquals("a8", standing.labels().get(1).pair().first().pair().first());
  }

  @Test
  void aSavedKeyNotInThePoolIsAnErrorNamingTheFileAndKey(@TempDir Path dir) throws Exception {
    RunStore store = loopOneSaved(dir, line(3, true), line(12, false));
    Path file = store.loopDir(1).resolve(RunStore.SELECTED);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                store.standingSelfLabels(
                    org.ser4j.data.split.SerDataset.AddedLabels.NONE, 2, poolOf(10)));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("pool key 12 is not in the run's pool"), e.getMessage());
  }
}
