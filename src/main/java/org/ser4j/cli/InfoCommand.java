package org.ser4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.finetune.FineTunedModel;
import org.ser4j.model.head.HeadModel;
import org.ser4j.model.head.MlpHead;
import org.ser4j.ser.RunStore;
import org.ser4j.util.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `ser info`: what a model is, read from its directory alone: family, encoder (with its weights'
 * fingerprint), head or fine-tuning, reward scale, where it came from (provenance), and its test
 * accuracy where the directory or its run recorded one.
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description =
        "Say what a model is: encoder, head or fine-tuning, reward scale, training data fingerprint, provenance and test accuracy; --model takes a model directory or a ser evolve run directory (its final/ model).")
public final class InfoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(names = "--json", description = "Print JSON instead of text (default: ${DEFAULT-VALUE}).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path dir = model.modelDir();
    TrainedModel m = model.load();
    ObjectNode info = Json.PRETTY.createObjectNode();
    info.put("model_dir", dir.toString());
    info.put("model", m.describe());
    info.set("encoder", Json.PRETTY.valueToTree(m.encoder()));
    if (m instanceof HeadModel h) {
      info.put("family", "frozen encoder + head");
      ObjectNode head = info.putObject("head");
      head.put("type", h.head() instanceof MlpHead ? "mlp" : "linear");
      head.put("input_dim", h.head().inputDimension());
    } else if (m instanceof FineTunedModel f) {
      info.put("family", "fine-tuned encoder");
      info.set("finetune", Json.PRETTY.valueToTree(f.training()));
      info.put("attention_heads", f.heads());
      info.put("onnx", f.onnx() != null);
    }
    info.set("reward_scale", Json.PRETTY.valueToTree(m.scale()));
    info.set("provenance", Json.PRETTY.valueToTree(m.provenance()));
    accuracy(dir, m.provenance(), info);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.PRETTY.writeValueAsString(info));
    } else {
      out.print(words(info));
    }
    out.flush();
    return 0;
  }

  /**
   * The test accuracy the model's directory records (metrics.json of `ser train`), or its run's
   * report for the loop it comes from.
   */
  private void accuracy(Path dir, Provenance p, ObjectNode info) throws java.io.IOException {
    Path metrics = dir.resolve("metrics.json");
    if (Files.isRegularFile(metrics)) {
      JsonNode n = Json.PRETTY.readTree(metrics.toFile());
      if (n.has("test_accuracy")) {
        info.put("test_accuracy", n.get("test_accuracy").asDouble());
        info.put("test_accuracy_from", metrics.toString());
      }
      return;
    }
    Path run = model.dir;
    Path report = run.resolve(RunStore.REPORT);
    if (p.loop() >= 0 && Files.isRegularFile(report)) {
      JsonNode loops = Json.PRETTY.readTree(report.toFile()).path("loops");
      if (p.loop() < loops.size()) {
        info.put("test_accuracy", loops.get(p.loop()).get("test_accuracy").asDouble());
        info.put("test_accuracy_from", report + ", loop " + p.loop());
      }
    }
  }

  private static String words(ObjectNode i) {
    JsonNode e = i.get("encoder");
    JsonNode p = i.get("provenance");
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT, "model: %s (%s)%n", i.get("model").asText(), i.get("model_dir").asText()));
    s.append(
        String.format(
            Locale.ROOT,
            "encoder: %s, %s pooling, %d tokens, input %s; weights %s (fingerprint %s)%n",
            e.path("name").asText(),
            e.path("pooling").asText().toLowerCase(Locale.ROOT),
            e.path("maxLength").asInt(),
            e.path("strategy").asText().toLowerCase(Locale.ROOT),
            e.path("model").asText(),
            e.path("fingerprint").asText("-")));
    if (i.has("head")) {
      s.append(
          String.format(
              Locale.ROOT,
              "head: %s on %d inputs%n",
              i.get("head").get("type").asText(),
              i.get("head").get("input_dim").asInt()));
    }
    JsonNode debias = p.path("config").findValue("debias"); // train's or the run's settings
    if (debias != null && debias.size() > 0) {
      s.append(
          String.format(
              Locale.ROOT,
              "debias: %s (the reward is the quality head, kept uncorrelated with them; a style head explained them in training)%n",
              String.join(
                      ", ",
                      java.util.stream.StreamSupport.stream(debias.spliterator(), false)
                          .map(JsonNode::asText)
                          .toList())
                  .toLowerCase(Locale.ROOT)));
    }
    if (i.has("finetune")) {
      s.append(
          String.format(
              Locale.ROOT,
              "fine-tuning: %s%s%n",
              i.get("finetune").path("mode").asText(),
              i.get("onnx").asBoolean() ? "; scores through model.onnx" : ""));
    }
    s.append(
        String.format(
            Locale.ROOT, "reward scale: %s%n", i.get("reward_scale").path("method").asText()));
    s.append(
        String.format(
            Locale.ROOT,
            "trained by: ser %s on %s (labeled pairs' fingerprint %s), seed %d, labeled fraction %s, %d training pairs%s, %s%n",
            p.path("command").asText(),
            p.path("data_file").asText("-"),
            p.path("data_fingerprint").asText("-"),
            p.path("seed").asLong(),
            p.path("labeled_fraction").asText(),
            p.path("train_pairs").asInt(),
            p.path("loop").asInt() >= 0 ? ", SER loop " + p.path("loop").asInt() : "",
            p.path("created").asText("-")));
    JsonNode choice = p.path("config").path("encoder_choice");
    if (!choice.isMissingNode() && !choice.isNull()) {
      org.ser4j.ser.EncoderSearch.Choice.lines(choice).forEach(l -> s.append(l).append('\n'));
    }
    if (i.has("test_accuracy")) {
      s.append(
          String.format(
              Locale.ROOT,
              "test accuracy: %.4f (%s)%n",
              i.get("test_accuracy").asDouble(),
              i.get("test_accuracy_from").asText()));
    }
    return s.toString();
  }
}
