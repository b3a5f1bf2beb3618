package org.ser4j.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Agreement figures against published and hand-worked values. */
class AgreementTest {
  private static List<Choice[]> items(int aa, int ab, int ba, int bb) {
    List<Choice[]> out = new ArrayList<>();
    for (int i = 0; i < aa; i++) out.add(new Choice[] {Choice.A, Choice.A});
    for (int i = 0; i < ab; i++) out.add(new Choice[] {Choice.A, Choice.B});
    for (int i = 0; i < ba; i++) out.add(new Choice[] {Choice.B, Choice.A});
    for (int i = 0; i < bb; i++) out.add(new Choice[] {Choice.B, Choice.B});
    return out;
  }

  @Test
  void cohensKappaMatchesThePublishedExample() {
    // Wikipedia, "Cohen's kappa", first worked example: 50 proposals, 20 yes/yes, 5 yes/no,
    // 10 no/yes, 15 no/no: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    assertEquals(0.4, Agreement.cohensKappa(items(20, 5, 10, 15)), 1e-12);
    // Its second and third examples: (45, 15, 25, 15) gives 0.1304, (25, 35, 5, 35) gives 0.2593.
    assertEquals(0.1304, Agreement.cohensKappa(items(45, 15, 25, 15)), 1e-4);
    assertEquals(0.2593, Agreement.cohensKappa(items(25, 35, 5, 35)), 1e-4);
  }

  @Test
  void kappaIsUndefinedWhenChanceAgreementIsCertain() {
    assertNull(Agreement.cohensKappa(items(5, 0, 0, 0)));
  }

  @Test
  void theWilsonIntervalSolvesItsDefiningEquation() {
    // The interval's ends are the p with (p_hat - p)^2 = z^2 p (1 - p) / n.
    double z = 1.959963984540054;
    for (int[] kn : new int[][] {{8, 10}, {0, 5}, {37, 120}}) {
      double phat = (double) kn[0] / kn[1];
      for (double p : Agreement.wilson(kn[0], kn[1])) {
        assertEquals(Math.pow(phat - p, 2), z * z * p * (1 - p) / kn[1], 1e-12);
      }
    }
  }

  @Test
  void statsCountPeopleAgreementAndPositionBias() {
    Instant t = Instant.EPOCH;
    List<Annotation> labels =
        List.of(
            new Annotation("p1", "ann", Choice.A, true, t), // picked left
            new Annotation("p1", "bob", Choice.A, false, t), // picked right
            new Annotation("p2", "ann", Choice.B, true, t), // right
            new Annotation("p2", "bob", Choice.A, true, t), // left
            new Annotation("p3", "ann", Choice.TIE, true, t),
            new Annotation("p3", "bob", Choice.SKIP, true, t));
    Agreement.Stats s = Agreement.of(labels);
    assertEquals(new Agreement.Person(3, 1, 1, 1, 0), s.people().get("ann"));
    assertEquals(new Agreement.Person(2, 2, 0, 0, 1), s.people().get("bob"));
    assertEquals(2, s.pairsWithSeveral());
    assertEquals(2, s.comparisons());
    assertEquals(0.5, s.percentAgreement(), 1e-12);
    assertEquals(1, s.disagreements());
    // ann (a, b) against bob (a, a): p_o = 0.5, p_e = 0.5 * 1 = 0.5: kappa 0
    assertEquals(0.0, s.kappa(), 1e-12);
    assertEquals(4, s.decisive());
    assertEquals(0.5, s.leftShare(), 1e-12);
  }
}
