package org.ser4j.ser.select;

import java.io.IOException;
import java.util.List;
import org.ser4j.model.learn.SelfLabel;

/**
 * Step 3 of a SER loop: a second look at a loop's selections before it trains on them (reviewers,
 * length balance). Filters run in order, each on what the one before kept.
 */
public interface SelfLabelFilter {
  /**
   * What to keep of loop {@code loop}'s {@code selected}, given the self-labels of the loops before
   * it ({@code earlier}).
   */
  List<SelfLabel> apply(List<SelfLabel> selected, List<SelfLabel> earlier, int loop)
      throws IOException;

  /** Length balance ({@link LengthBalance}): the seed's share of longer chosen answers. */
  static SelfLabelFilter lengthBalance(double seedLongerShare) {
    return (selected, earlier, loop) -> LengthBalance.match(selected, seedLongerShare);
  }
}
