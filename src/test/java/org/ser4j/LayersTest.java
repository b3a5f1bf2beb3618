package org.ser4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout is the architecture: every main source file imports only its own package and the
 * packages below it, in the order the README's Layout section gives (cli and api on top, util at
 * the bottom); packages of one rank do not import each other.
 */
class LayersTest {
  private static final Map<String, Integer> RANK =
      Map.ofEntries(
          Map.entry("org.ser4j.cli", 12),
          Map.entry("org.ser4j.api", 12),
          Map.entry("org.ser4j.experiment", 11),
          Map.entry("org.ser4j.bench", 11),
          Map.entry("org.ser4j.ser", 10),
          Map.entry("org.ser4j.ser.select", 9),
          Map.entry("org.ser4j.ser.ask", 9),
          Map.entry("org.ser4j.serve", 9),
          Map.entry("org.ser4j.label", 9),
          Map.entry("org.ser4j.eval", 9),
          Map.entry("org.ser4j.model.finetune", 8),
          Map.entry("org.ser4j.model.head", 7),
          Map.entry("org.ser4j.model.learn", 6),
          Map.entry("org.ser4j.model", 5),
          Map.entry("org.ser4j.encoder", 4),
          Map.entry("org.ser4j.data.split", 3),
          Map.entry("org.ser4j.data.candidates", 3),
          Map.entry("org.ser4j.data.format", 2),
          Map.entry("org.ser4j.data", 1),
          Map.entry("org.ser4j.encoder.onnx", 0), // generated protobuf classes
          Map.entry("org.ser4j.util", 0));

  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?(org\\.ser4j(?:\\.[a-z]\\w*)*)\\.[A-Z]", Pattern.MULTILINE);
  private static final Pattern QUALIFIED =
      Pattern.compile("[^\\w.](org\\.ser4j(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  @Test
  void everyImportPointsDown() throws IOException {
    List<String> wrong = new ArrayList<>();
    Path root = Path.of("src", "main", "java");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
        Integer mine = RANK.get(pkg);
        if (mine == null) {
          wrong.add(f + ": package " + pkg + " has no place in the layout");
          continue;
        }
        String text = Files.readString(f);
        for (Pattern p : List.of(IMPORT, QUALIFIED)) {
          Matcher m = p.matcher(text);
          while (m.find()) {
            String used = m.group(1);
            Integer theirs = RANK.get(used);
            if (used.equals(pkg)) {
              continue;
            }
            if (theirs == null || theirs >= mine) {
              wrong.add(f + " (" + pkg + ") uses " + used);
            }
          }
        }
      }
    }
    assertEquals(List.of(), wrong.stream().distinct().toList());
  }
}
