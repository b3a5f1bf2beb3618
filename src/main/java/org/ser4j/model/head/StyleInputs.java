package org.ser4j.model.head;

import java.util.List;
import org.ser4j.data.Style;

/**
 * The style measures ({@link Style#of}) of the training and validation pairs' answers, row for row
 * with their feature vectors: {@code trainChosen[i][k]} is style k of training pair i's chosen
 * answer.
 */
public record StyleInputs(
    List<Style> styles,
    double[][] trainChosen,
    double[][] trainRejected,
    double[][] validationChosen,
    double[][] validationRejected) {

  public StyleInputs {
    styles = List.copyOf(styles);
    if (styles.isEmpty()) {
      throw new IllegalArgumentException("no style to debias");
    }
  }

  /** The measures of {@code texts}, one row per text. */
  public static double[][] measure(List<Style> styles, List<String> texts) {
    double[][] out = new double[texts.size()][styles.size()];
    for (int i = 0; i < texts.size(); i++) {
      for (int k = 0; k < styles.size(); k++) {
        out[i][k] = styles.get(k).of(texts.get(i));
      }
    }
    return out;
  }
}
