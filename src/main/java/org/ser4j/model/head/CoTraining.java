package org.ser4j.model.head;

/**
 * Co-training across encoders (Blum and Mitchell, 1998) on a model whose features are several
 * encoders side by side ({@code EncoderConfig.concat}): each view (one encoder's slice) has its own
 * linear head; a self-label trains a view only when the other views, fitted on the human labels,
 * vouch for it (their mean probability of its answer at least {@code confidence}), so a view learns
 * from labels made by features whose errors it does not share. With {@code onlyUnsure}, a view
 * takes only the vouched labels it is itself unsure of (below {@code confidence}): the ones that
 * teach it most.
 *
 * @param ensemble the final model is the views' mean of standardized rewards (each view's rewards
 *     over the seed's answers scaled to mean 0 and deviation 1), folded into one linear head; else
 *     (the CLI's default) one head on all the features, trained on the seed and every vouched
 *     self-label
 * @param anyView the loop selects self-labels by the view most sure of each pair (its standardized
 *     margin), so a pair one view is sure of can teach the others; else by the views' ensemble
 */
public record CoTraining(double confidence, boolean onlyUnsure, boolean ensemble, boolean anyView)
    implements java.io.Serializable {
  public static final double DEFAULT_CONFIDENCE = 0.8;

  public CoTraining {
    if (!(confidence > 0.5 && confidence < 1)) {
      throw new IllegalArgumentException(
          "--view-confidence must be in (0.5, 1), got " + confidence);
    }
  }
}
