package org.ser4j.ser;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Comparator;
import java.util.List;
import org.ser4j.data.GoldLabels;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.ser.select.LengthBalance;

/**
 * Why a loop's self-labels help or not, measured against the hidden gold labels (never trained on):
 * their precision by confidence decile (lowest first), the temperature of pair-confidence, and
 * length bias: the share of selected pairs whose chosen answer is the longer one, under the RM's
 * labels, under the gold labels, and in the labeled seed. Gold figures count the pairs the pool
 * decides (every pool pair; a built pair where two labels chain). With West-of-N, the built pairs
 * among the selected and their precision. A pool nobody judged has no gold figures (null, left
 * out).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoopDiagnostics(
    @JsonProperty("temperature") Double temperature,
    @JsonProperty("precision_by_confidence_decile") double[] precisionByDecile,
    @JsonProperty("selected_chosen_longer") double selectedChosenLonger,
    @JsonProperty("gold_chosen_longer") Double goldChosenLonger,
    @JsonProperty("seed_chosen_longer") double seedChosenLonger,
    @JsonProperty("built_pairs") Integer builtPairs,
    @JsonProperty("built_decided") Integer builtDecided,
    @JsonProperty("built_precision") Double builtPrecision) {

  /** {@code chosenLonger}: whether each of {@code selected} chose the longer answer. */
  static LoopDiagnostics of(
      List<SelfLabel> selected,
      boolean[] chosenLonger,
      GoldLabels gold,
      Double temperature,
      double seedLongerShare,
      boolean westOfN) {
    List<SelfLabel> decided =
        selected.stream()
            .filter(s -> s.right(gold) != null)
            .sorted(Comparator.comparingDouble(SelfLabel::confidence))
            .toList();
    int n = decided.size();
    double[] deciles = new double[Math.min(10, n)];
    for (int d = 0; d < deciles.length; d++) {
      int from = d * n / deciles.length;
      int to = (d + 1) * n / deciles.length;
      int right = 0;
      for (SelfLabel s : decided.subList(from, to)) {
        right += s.right(gold) ? 1 : 0;
      }
      deciles[d] = (double) right / (to - from);
    }
    int goldLonger = 0;
    for (SelfLabel s : decided) {
      boolean rightLabel = s.right(gold);
      String c = rightLabel ? s.chosen() : s.rejected();
      String r = rightLabel ? s.rejected() : s.chosen();
      goldLonger += LengthBalance.chosenLonger(c, r) ? 1 : 0;
    }
    List<SelfLabel> built = selected.stream().filter(s -> s.pair().built()).toList();
    Double builtPrecision = precision(built, gold);
    boolean known = gold.known(); // a pool nobody judged has no gold figures
    return new LoopDiagnostics(
        temperature,
        known ? deciles : null,
        LengthBalance.longerShare(chosenLonger),
        !known ? null : n == 0 ? Double.NaN : (double) goldLonger / n,
        seedLongerShare,
        westOfN ? built.size() : null,
        westOfN && known ? (int) built.stream().filter(s -> s.right(gold) != null).count() : null,
        westOfN ? builtPrecision : null);
  }

  /**
   * The share of {@code selected} that agrees with the hidden human labels, of those the pool
   * decides (every plain pair; a built pair where two labels chain); null when it decides none.
   */
  static Double precision(List<SelfLabel> selected, GoldLabels gold) {
    int decided = 0;
    int right = 0;
    for (SelfLabel s : selected) {
      Boolean r = s.right(gold);
      if (r != null) {
        decided++;
        right += r ? 1 : 0;
      }
    }
    return decided == 0 ? null : (double) right / decided;
  }
}
