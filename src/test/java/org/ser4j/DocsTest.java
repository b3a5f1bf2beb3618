package org.ser4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ser4j.cli.SerCli;
import picocli.CommandLine;

/**
 * The README and docs/ stay true to the code: every `ser` command line they show parses with the
 * current CLI (an unknown command or option, or a value of the wrong type, fails here; a mention
 * that leaves out required options, such as `ser score`, passes), and every relative link resolves
 * to a file, and to a heading where it names one.
 */
class DocsTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern INLINE = Pattern.compile("`((?:\\./)?ser [^`]+)`");

  static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CHANGELOG.md")));
    try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  @Test
  void everyRelativeLinkResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      String text = Files.readString(page);
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // http(s), mailto: not checked offline
        }
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
        Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file);
        if (!Files.exists(resolved)) {
          broken.add(page + ": " + target + " (no such file)");
        } else if (anchor != null && !anchors(resolved).contains(anchor)) {
          broken.add(page + ": " + target + " (no such heading)");
        }
      }
    }
    assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
  }

  @Test
  void everySerCommandLineParses() throws IOException {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Path page : pages()) {
      for (String line : commandLines(Files.readString(page))) {
        List<String> args = words(line);
        checked++;
        try {
          SerCli.commandLine().parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.MissingParameterException e) {
          // a mention such as `ser score` or `ser export --run`: its names exist
        } catch (CommandLine.ParameterException e) {
          failures.add(page + ": " + line + "\n    " + e.getMessage());
        }
      }
    }
    assertTrue(checked >= 30, "found only " + checked + " command lines");
    assertTrue(
        failures.isEmpty(), "command lines that no longer parse:\n" + String.join("\n", failures));
  }

  /**
   * `ser` command lines: lines of fenced code that start with `./ser ` (up to a comment, pipe or
   * `&&`), and inline code that is one whole command. Synopses with [optional] or a|b parts are
   * skipped; `ser-spark` lines belong to the Spark module.
   */
  static List<String> commandLines(String text) {
    List<String> out = new ArrayList<>();
    boolean fenced = false;
    StringBuilder continued = null;
    for (String raw : text.split("\n")) {
      if (raw.startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        String line = raw.strip();
        if (continued != null) {
          continued.append(' ').append(line.replaceAll("\\\\$", ""));
          if (!line.endsWith("\\")) {
            out.add(cut(continued.toString()));
            continued = null;
          }
        } else if (line.startsWith("./ser ")) {
          if (line.endsWith("\\")) {
            continued = new StringBuilder(line.replaceAll("\\\\$", ""));
          } else {
            out.add(cut(line));
          }
        }
        continue;
      }
      Matcher m = INLINE.matcher(raw);
      while (m.find()) {
        String cmd = m.group(1);
        if (!cmd.contains("[") && !cmd.contains("|") && !cmd.contains("...")) {
          out.add(cut(cmd));
        }
      }
    }
    return out;
  }

  /** The command up to a shell comment, pipe, redirection or `&&`. */
  private static String cut(String line) {
    for (String stop : new String[] {" #", " |", " &&", " >", " 2>"}) {
      int i = line.indexOf(stop);
      if (i >= 0) {
        line = line.substring(0, i);
      }
    }
    return line.strip();
  }

  /** The arguments after `ser`, split as a shell would (quotes kept together). */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)").matcher(line);
    while (m.find()) {
      words.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    return words.subList(1, words.size()); // after ./ser or ser
  }

  /** GitHub's heading anchors of a markdown page. */
  private static List<String> anchors(Path page) throws IOException {
    if (!page.toString().endsWith(".md")) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(page)) {
      if (line.startsWith("#")) {
        String title = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
        out.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
      }
    }
    return out;
  }
}
