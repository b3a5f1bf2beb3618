package org.ser4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.format.PreferenceExport;
import org.ser4j.data.split.SerDataset;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.ser.RunSettings;
import org.ser4j.ser.RunStore;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `ser export`: a SER run's training data (the human-labeled seed and the self-labeled pairs) as a
 * preference dataset for TRL or OpenRLHF.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Write a SER run's labeled seed (human) and its self-labeled pairs (loops 1..--loop) as a preference dataset that RL trainers read directly: trl (prompt/chosen/rejected; conversational messages for multi-turn prompts) or openrlhf (chosen/rejected conversations, for --apply_chat_template). "
            + "Each record's ser4j object says whether its label is human or self-labeled, and for self-labels the loop and the confidence of the selection. The run's test pairs are never exported.")
public final class ExportCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--run",
      required = true,
      paramLabel = "DIR",
      description = "A ser evolve run directory.")
  Path run;

  @Option(
      names = "--format",
      paramLabel = "F",
      defaultValue = "trl",
      description = "trl or openrlhf (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--loop",
      paramLabel = "N",
      defaultValue = "-1",
      description =
          "Self-labels of loops 1..N; -1 = the loop the run kept (final_loop in report.json), 0 = the human seed only (default: ${DEFAULT-VALUE}).")
  int loop;

  @Option(
      names = "--min-confidence",
      paramLabel = "P",
      defaultValue = "0",
      description =
          "Leave out self-labels whose selection confidence is below P (default: ${DEFAULT-VALUE}, none left out).")
  double minConfidence;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Output JSON Lines (.jsonl or .jsonl.gz).")
  Path out;

  private static void write(java.io.OutputStream o, ObjectNode record) throws java.io.IOException {
    o.write(Json.LINE.writeValueAsBytes(record));
    o.write('\n');
  }

  @Override
  public Integer call() throws Exception {
    PreferenceExport.Format f = PreferenceExport.Format.parse(format);
    RunStore store = new RunStore(run);
    RunSettings settings = store.settings(0);
    int last = loop >= 0 ? loop : store.finalLoop();
    SerDataset data = SerDataset.load(settings.data());
    java.util.function.IntFunction<UnlabeledPair> pool = UnlabeledPair.byKey(data.pool());
    // Written as they are read: a run's self-labels may be millions, their texts gigabytes.
    int[] self = {0};
    int[] below = {0};
    AtomicFiles.writeGzipByName(
        out,
        o -> {
          for (PreferencePair p : data.labeled()) {
            write(
                o,
                PreferenceExport.record(
                    f,
                    p.prompt(),
                    p.chosen(),
                    p.rejected(),
                    PreferenceExport.Origin.human(p.id())));
          }
          for (int l = 1; l <= last; l++) {
            for (RunStore.SavedLabel s : store.readSelected(l)) {
              Comparison c = s.comparisonIn(pool, store.loopDir(l).resolve(RunStore.SELECTED));
              if (!c.built() && data.added().onPool().containsKey(c.key())) {
                continue; // a person labeled this pair since: exported with the human labels
              }
              SelfLabel label = new SelfLabel(c, s.firstPreferred(), s.sFirst(), s.sSecond(), l);
              double confidence = label.confidence(); // as the selection saw it
              if (confidence < minConfidence) {
                below[0]++;
                continue;
              }
              write(
                  o,
                  PreferenceExport.record(
                      f,
                      c.prompt(),
                      label.chosen(),
                      label.rejected(),
                      new PreferenceExport.Origin(c.id(), false, l, confidence)));
              self[0]++;
            }
          }
        });
    PrintWriter log = spec.commandLine().getOut();
    log.printf(
        Locale.ROOT,
        "%s: %d human pairs, %d self-labeled (loops 1-%d%s)%n",
        f.name().toLowerCase(Locale.ROOT),
        data.labeled().size(),
        self[0],
        last,
        below[0] > 0 ? ", " + below[0] + " below --min-confidence left out" : "");
    log.println("wrote " + out);
    log.flush();
    return 0;
  }
}
