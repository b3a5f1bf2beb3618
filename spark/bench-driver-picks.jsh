// The heap a Spark driver spends on a run's self-labels, held as the pool on the executors holds
// them: N picks (default 4,000,000: a 10M-pair pool whose first loop picks 40%) appended to rows
// on the heap (PackedSelfLabels without a spill directory) and to rows spilled to a mapped file
// (with one, as ExecutorPool.newSelfLabels makes them). Prints the heap used after a full
// collection while each list is held, and the time to append and to read every label back.
//   jshell -R-Xmx2g --class-path target/ser4j.jar -R-Dpicks=4000000 spark/bench-driver-picks.jsh
import org.ser4j.model.learn.*;
import org.ser4j.data.UnlabeledPair;
int n = Integer.getInteger("picks", 4_000_000);
java.util.function.IntFunction<Comparison> pairs = k -> Comparison.of(new UnlabeledPair(k, null, null, null, null, null));
long used() { for (int i = 0; i < 3; i++) System.gc(); var m = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage(); return m.getUsed(); }
void measure(String name, java.util.List<SelfLabel> list, int n, java.util.function.IntFunction<Comparison> pairs) {
  long before = used();
  long t0 = System.nanoTime();
  for (int k = 0; k < n; k++) list.add(SelfLabel.of(pairs.apply(k), 0.9, 0.1, 1));
  long t1 = System.nanoTime();
  double sum = 0; for (SelfLabel s : list) sum += s.s1();
  long t2 = System.nanoTime();
  long after = used();
  System.out.printf("%-28s %,d labels: heap held %,.1f MB; append %.2f s, read back %.2f s (check %.0f)%n", name, list.size(), (after - before) / 1e6, (t1 - t0) / 1e9, (t2 - t1) / 1e9, sum);
}
var heap = new PackedSelfLabels(pairs);
measure("rows on the heap", heap, n, pairs);
heap = null;
var spilled = new PackedSelfLabels(pairs, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
measure("rows in a mapped file", spilled, n, pairs);
/exit
