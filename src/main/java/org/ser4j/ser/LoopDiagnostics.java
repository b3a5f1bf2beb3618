package org.ser4j.ser;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Comparator;
import java.util.List;
import org.ser4j.data.GoldLabels;

/**
 * Why a loop's self-labels help or not, measured against the hidden gold labels (never trained on):
 * their precision by confidence decile (lowest first), the temperature of pair-confidence, and
 * length bias: the share of selected pairs whose chosen answer is the longer one, under the RM's
 * labels, under the gold labels, and in the labeled seed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoopDiagnostics(
    @JsonProperty("temperature") Double temperature,
    @JsonProperty("precision_by_confidence_decile") double[] precisionByDecile,
    @JsonProperty("selected_chosen_longer") double selectedChosenLonger,
    @JsonProperty("gold_chosen_longer") double goldChosenLonger,
    @JsonProperty("seed_chosen_longer") double seedChosenLonger) {

  static LoopDiagnostics of(
      List<SelfLabel> selected, GoldLabels gold, Double temperature, double seedLongerShare) {
    List<SelfLabel> byConfidence =
        selected.stream().sorted(Comparator.comparingDouble(SelfLabel::confidence)).toList();
    int n = byConfidence.size();
    double[] deciles = new double[Math.min(10, n)];
    for (int d = 0; d < deciles.length; d++) {
      int from = d * n / deciles.length;
      int to = (d + 1) * n / deciles.length;
      int right = 0;
      for (SelfLabel s : byConfidence.subList(from, to)) {
        right += s.firstPreferred() == gold.firstPreferred(s.pair()) ? 1 : 0;
      }
      deciles[d] = (double) right / (to - from);
    }
    int goldLonger = 0;
    for (SelfLabel s : selected) {
      boolean firstGold = gold.firstPreferred(s.pair());
      String c = firstGold ? s.pair().first() : s.pair().second();
      String r = firstGold ? s.pair().second() : s.pair().first();
      goldLonger += LengthBalance.chosenLonger(c, r) ? 1 : 0;
    }
    return new LoopDiagnostics(
        temperature,
        deciles,
        LengthBalance.longerShare(selected),
        n == 0 ? Double.NaN : (double) goldLonger / n,
        seedLongerShare);
  }
}
