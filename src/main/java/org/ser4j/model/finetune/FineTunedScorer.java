package org.ser4j.model.finetune;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.encoder.SequenceTokenizer;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.model.RewardScorer;
import org.ser4j.util.Progress;

/**
 * A {@link FineTunedModel}'s live network and tokenizer: every input runs through the whole network
 * (nothing cached).
 */
public final class FineTunedScorer implements RewardScorer {
  private final FineTunedModel model;
  private final BertRewardNet net;
  private final SequenceTokenizer tokenizer;
  private final Progress progress;

  public FineTunedScorer(FineTunedModel model, Progress progress) throws IOException {
    this.model = model;
    this.net = model.network();
    this.tokenizer =
        SequenceTokenizer.open(model.encoder().tokenizer(), model.encoder().maxLength());
    this.progress = progress;
  }

  @Override
  public FineTunedModel model() {
    return model;
  }

  @Override
  public synchronized double[] rewards(List<ResponseInput> inputs) {
    List<TokenizedInput> seqs = new ArrayList<>(inputs.size());
    for (ResponseInput in : inputs) {
      seqs.add(tokenizer.sequence(in, model.encoder().strategy()));
    }
    return net.score(seqs, false, progress);
  }

  @Override
  public void close() {
    tokenizer.close();
    net.close();
  }
}
