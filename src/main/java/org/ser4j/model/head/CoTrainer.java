package org.ser4j.model.head;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ser4j.model.Loss;
import org.ser4j.util.Progress;

/**
 * One co-trained fit ({@link CoTraining}) on features that are {@code views} encoders' vectors side
 * by side, each view {@code width} wide: a head per view on the human labels; each self-label
 * vouched for by the other views; each view refitted on the human labels plus the self-labels
 * vouched for it; the views folded into one linear head (their mean of standardized rewards) or one
 * head trained on every feature.
 */
final class CoTrainer {
  private final TrainConfig config;
  private final int views;
  private final Progress progress;

  /** What a co-trained fit made: the model's head, and each view's share of the self-labels. */
  /**
   * @param taught per view, which self-labels trained it
   * @param agreement the share of the self-labels on which every view, fitted on the human labels,
   *     picks the same answer (null without self-labels)
   */
  record Result(
      TrainedHead head,
      TrainedHead[] views,
      int[] vouched,
      boolean[][] taught,
      double[] viewTestAccuracy,
      Double agreement) {}

  CoTrainer(TrainConfig config, int views, Progress progress) {
    if (config.head() != HeadType.LINEAR) {
      throw new IllegalArgumentException("co-training across encoders needs --head linear");
    }
    if (views < 2) {
      throw new IllegalArgumentException(
          "co-training needs a model on two or more encoders (--views A,B), got " + views);
    }
    this.config = config;
    this.views = views;
    this.progress = progress;
  }

  /**
   * @param seed the human-labeled pairs
   * @param self the self-labeled pairs, chosen answer first
   * @param test the test pairs, to report each view's accuracy (may be empty)
   */
  Result fit(
      PairFeatures seed,
      PairFeatures self,
      double selfWeight,
      PairFeatures validation,
      PairFeatures test) {
    int width = width(seed.size() > 0 ? seed.chosen()[0].length : self.chosen()[0].length);
    // Round 0: each view on the human labels alone; it vouches for the others' labels.
    TrainedHead[] alone = new TrainedHead[views];
    double[][] p = new double[views][];
    for (int v = 0; v < views; v++) {
      alone[v] = trainer(null).train(slice(seed, v, width), slice(validation, v, width));
      p[v] = probabilities(alone[v], slice(self, v, width));
    }
    boolean[][] vouched = new boolean[views][self.size()];
    int[] counts = new int[views];
    CoTraining rule = config.coTraining();
    for (int v = 0; v < views; v++) {
      for (int s = 0; s < self.size(); s++) {
        double others = 0;
        for (int u = 0; u < views; u++) {
          others += u == v ? 0 : p[u][s];
        }
        others /= views - 1;
        vouched[v][s] =
            others >= rule.confidence() && (!rule.onlyUnsure() || p[v][s] < rule.confidence());
        counts[v] += vouched[v][s] ? 1 : 0;
      }
    }
    // Round 1: each view on the human labels and the self-labels the others vouch for.
    TrainedHead[] taught = new TrainedHead[views];
    boolean[] any = new boolean[self.size()];
    for (int v = 0; v < views; v++) {
      int[] keep = indices(vouched[v]);
      for (int s : keep) {
        any[s] = true;
      }
      taught[v] =
          train(
              slice(seed, v, width),
              slice(self.select(keep), v, width),
              selfWeight,
              slice(validation, v, width));
    }
    double[] viewTest = new double[views];
    for (int v = 0; v < views; v++) {
      viewTest[v] = test.size() == 0 ? Double.NaN : accuracy(taught[v], slice(test, v, width));
    }
    TrainedHead head;
    if (rule.ensemble()) {
      head = fold(taught, seed, width);
    } else {
      head = train(seed, self.select(indices(any)), selfWeight, validation);
    }
    int same = 0;
    for (int s = 0; s < self.size(); s++) {
      boolean first = p[0][s] >= 0.5;
      boolean all = true;
      for (int v = 1; v < views; v++) {
        all &= (p[v][s] >= 0.5) == first;
      }
      same += all ? 1 : 0;
    }
    Double agreement = self.size() == 0 ? null : (double) same / self.size();
    return new Result(head, taught, counts, vouched, viewTest, agreement);
  }

  private int width(int total) {
    if (total % views != 0) {
      throw new IllegalArgumentException(
          "co-training needs encoders of one width; "
              + total
              + " features do not split into "
              + views);
    }
    return total / views;
  }

  private RewardTrainer trainer(double[] weights) {
    RewardTrainer t = new RewardTrainer(config.withCoTraining(null), progress);
    return weights == null ? t : t.weighing(weights);
  }

  private TrainedHead train(
      PairFeatures seed, PairFeatures self, double selfWeight, PairFeatures validation) {
    PairFeatures all = seed.concat(self);
    double[] w = null;
    if (selfWeight != 1.0 && self.size() > 0) {
      w = new double[all.size()];
      Arrays.fill(w, 0, seed.size(), 1.0);
      Arrays.fill(w, seed.size(), w.length, selfWeight);
    }
    return trainer(w).train(all, validation);
  }

  /**
   * The views' mean of standardized rewards as one linear head on all the features: with view v's
   * reward r_v = w_v . (x_v - m_v) / s_v + b_v, standardized by its mean mu_v and deviation sd_v
   * over the seed's answers, the mean over V views is linear in x: weights w_v / (V sd_v) on each
   * view's normalized slice, bias sum_v (b_v - mu_v) / (V sd_v).
   */
  private TrainedHead fold(TrainedHead[] taught, PairFeatures seed, int width) {
    int d = width * views;
    float[] mean = new float[d];
    float[] std = new float[d];
    double[] params = new double[d + 1];
    for (int v = 0; v < views; v++) {
      TrainedHead h = taught[v];
      PairFeatures s = slice(seed, v, width);
      double[] r = new double[2 * s.size()];
      for (int i = 0; i < s.size(); i++) {
        r[2 * i] = h.head().score(h.normalizer().apply(s.chosen()[i]));
        r[2 * i + 1] = h.head().score(h.normalizer().apply(s.rejected()[i]));
      }
      double mu = Arrays.stream(r).average().orElse(0);
      double sd = Math.sqrt(Arrays.stream(r).map(x -> (x - mu) * (x - mu)).average().orElse(1));
      sd = sd > 1e-12 ? sd : 1;
      double[] own = ((LinearHead) h.head()).parameters();
      double scale = 1.0 / (views * sd);
      for (int a = 0; a < width; a++) {
        params[v * width + a] = own[a] * scale;
        mean[v * width + a] = h.normalizer().mean()[a];
        std[v * width + a] = h.normalizer().std()[a];
      }
      params[d] += (own[width] - mu) * scale;
    }
    TrainedHead first = taught[0];
    return new TrainedHead(
        new LinearHead(d, params),
        new FeatureNormalizer(mean, std),
        first.history(),
        first.bestEpoch(),
        first.validationPairs());
  }

  /**
   * The rewards of the view most sure of each pair: a folded ensemble's head is, on view v's slice,
   * view v's standardized reward divided by the view count (bias aside), so each view's own rewards
   * come from the same head with the other slices zeroed and the slice scaled back.
   */
  static org.ser4j.model.PairRewards surestView(
      HeadModel model,
      int views,
      java.util.function.Function<HeadModel, org.ser4j.model.PairRewards> score) {
    double[] p = ((LinearHead) model.head()).parameters();
    int d = p.length - 1;
    int width = d / views;
    org.ser4j.model.PairRewards[] byView = new org.ser4j.model.PairRewards[views];
    for (int v = 0; v < views; v++) {
      double[] own = new double[d + 1];
      for (int a = v * width; a < (v + 1) * width; a++) {
        own[a] = p[a] * views;
      }
      HeadModel view =
          new HeadModel(
              model.encoder(), model.normalizer(), new LinearHead(d, own), model.provenance());
      byView[v] = score.apply(view);
    }
    int n = byView[0].chosen().length;
    double[] first = new double[n];
    double[] second = new double[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int v = 1; v < views; v++) {
        if (Math.abs(byView[v].chosen()[i] - byView[v].rejected()[i])
            > Math.abs(byView[best].chosen()[i] - byView[best].rejected()[i])) {
          best = v;
        }
      }
      first[i] = byView[best].chosen()[i];
      second[i] = byView[best].rejected()[i];
    }
    return new org.ser4j.model.PairRewards(first, second);
  }

  private static double[] probabilities(TrainedHead h, PairFeatures pairs) {
    double[] p = new double[pairs.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] =
          Loss.sigmoid(
              h.head().score(h.normalizer().apply(pairs.chosen()[i]))
                  - h.head().score(h.normalizer().apply(pairs.rejected()[i])));
    }
    return p;
  }

  private static double accuracy(TrainedHead h, PairFeatures pairs) {
    double[] p = probabilities(h, pairs);
    return Arrays.stream(p).filter(x -> x > 0.5).count() / (double) p.length;
  }

  static PairFeatures slice(PairFeatures f, int view, int width) {
    return new PairFeatures(slice(f.chosen(), view, width), slice(f.rejected(), view, width));
  }

  /** One view's part of each row; a row several pairs share is cut once. */
  private static float[][] slice(float[][] x, int view, int width) {
    return PairFeatures.mapRows(
        x, row -> Arrays.copyOfRange(row, view * width, (view + 1) * width));
  }

  private static int[] indices(boolean[] mask) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < mask.length; i++) {
      if (mask[i]) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
