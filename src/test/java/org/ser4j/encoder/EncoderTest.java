package org.ser4j.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.Prompt;
import org.ser4j.testing.TestEncoders;

/** The real pretrained encoders from Maven Central, run by ONNX Runtime. */
class EncoderTest {
  @TempDir Path dir;

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void similarTextsAreCloserThanUnrelatedOnes() throws Exception {
    for (String name : EncoderSpec.BUILT_IN.keySet()) {
      try (Featurizer f =
          TestEncoders.open(TestEncoders.config(name, InputStrategy.RESPONSE, 128), null)) {
        assertEquals(384, f.dimension(), name);
        float[][] v =
            f.features(
                List.of(
                    new ResponseInput(Prompt.of("q"), "The cat sat on the mat."),
                    new ResponseInput(Prompt.of("q"), "A cat was sitting on a rug."),
                    new ResponseInput(Prompt.of("q"), "Quarterly revenue rose by eight percent.")));
        double near = cosine(v[0], v[1]);
        double far = cosine(v[0], v[2]);
        assertTrue(near > far + 0.1, name + ": cat/cat " + near + " vs cat/revenue " + far);
      }
    }
  }

  @Test
  void aVectorDoesNotDependOnWhatElseIsEncoded() throws Exception {
    EncoderConfig config = TestEncoders.config("minilm-l6-q", InputStrategy.PAIR, 128);
    ResponseInput shortOne = new ResponseInput(Prompt.of("Hi?"), "Hello.");
    ResponseInput longOne =
        new ResponseInput(
            Prompt.of("Tell me about the Roman empire, in detail."),
            "It began in 27 BC when Augustus became the first emperor and lasted in the west until 476.");
    float[] alone;
    try (Featurizer f = TestEncoders.open(config, null)) {
      alone = f.features(List.of(shortOne))[0];
    }
    try (Featurizer f = TestEncoders.open(config, null)) {
      assertArrayEquals(alone, f.features(List.of(longOne, shortOne, longOne))[1]);
    }
  }

  @Test
  void promptIsCutFromTheLeftResponseFromTheRight() throws Exception {
    try (SequenceTokenizer tok =
        new SequenceTokenizer("classpath:all-minilm-l6-v2-q-tokenizer.json", 16)) {
      TokenizedInput in =
          tok.pair(
              "one two three four five six seven eight nine ten eleven twelve",
              "alpha beta gamma delta epsilon zeta eta theta");
      assertEquals(16, in.length());
      TokenizedInput promptTail = tok.single("eleven twelve");
      TokenizedInput responseHead = tok.single("alpha beta");
      // [CLS] ... eleven twelve [SEP] alpha beta ... [SEP]
      int sep = 0;
      while (in.typeIds()[sep + 1] == 0) {
        sep++;
      }
      assertEquals(
          promptTail.ids()[promptTail.length() - 2],
          in.ids()[sep - 1],
          "prompt keeps its last token");
      assertEquals(responseHead.ids()[1], in.ids()[sep + 1], "response keeps its first token");
      assertEquals(1L, in.typeIds()[in.length() - 1]);
      assertEquals(0L, in.typeIds()[0]);
    }
  }

  @Test
  void theCacheIsHitOnTheSecondRunAndAcrossProcessesItsFilesServe() throws Exception {
    EncoderConfig config = TestEncoders.config("minilm-l6-q", InputStrategy.PAIR_AND_RESPONSE, 64);
    List<ResponseInput> inputs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      inputs.add(new ResponseInput(Prompt.of("Question " + i + "?"), "Answer number " + i + "."));
    }
    float[][] first;
    try (Featurizer f = TestEncoders.open(config, dir)) {
      first = f.features(inputs);
      assertEquals(80, f.cache().misses(), "40 pairs + 40 responses encoded");
      assertEquals(0, f.cache().hits());
      f.features(inputs);
      assertEquals(80, f.cache().hits(), "second run in the same process");
    }
    try (Featurizer f = TestEncoders.open(config, dir)) {
      float[][] again = f.features(inputs);
      assertEquals(80, f.cache().hits(), "a new process reads the segments on disk");
      assertEquals(0, f.cache().misses());
      for (int i = 0; i < first.length; i++) {
        assertArrayEquals(first[i], again[i]);
      }
      assertTrue(f.cache().diskBytes() > 80 * 384 * 4);
    }
  }

  @Test
  void corruptedCacheEntriesAreEncodedAgainNotTrusted() throws Exception {
    EncoderConfig config = TestEncoders.config("minilm-l6-q", InputStrategy.RESPONSE, 64);
    List<ResponseInput> inputs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      inputs.add(new ResponseInput(Prompt.of("q"), "Sentence number " + i + " for the cache."));
    }
    float[][] original;
    try (Featurizer f = TestEncoders.open(config, dir)) {
      original = f.features(inputs);
    }
    Path segment;
    try (var files = java.nio.file.Files.walk(dir)) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    byte[] bytes = java.nio.file.Files.readAllBytes(segment);
    int record = 16 + 384 * 4 + 4;
    for (int r : new int[] {2, 7}) {
      bytes[12 + r * record + 100] ^= 0x5A; // flip bits inside entries 2 and 7
    }
    java.nio.file.Files.write(segment, bytes);
    try (Featurizer f = TestEncoders.open(config, dir)) {
      assertEquals(2, f.cache().corrupt());
      float[][] again = f.features(inputs);
      assertEquals(2, f.cache().misses(), "only the damaged entries are encoded again");
      for (int i = 0; i < inputs.size(); i++) {
        assertArrayEquals(original[i], again[i], "entry " + i);
      }
    }
  }

  @Test
  void aModelTrainedOnOtherWeightsIsRefused() {
    EncoderConfig wrong =
        TestEncoders.config("minilm-l6-q", InputStrategy.PAIR, 64).withFingerprint("000000000000");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TestEncoders.open(wrong, null));
    assertTrue(e.getMessage().startsWith("encoder mismatch"), e.getMessage());
  }
}
