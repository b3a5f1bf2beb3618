package org.ser4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A response's style, apart from what it says: how long it is and how much markdown it carries. A
 * reward model that rewards style can be gamed by padding and formatting (RM-Bench's hard pairs
 * differ in both), so {@code --debias} explains these measures with a head of their own.
 */
public enum Style {
  /** Thousands of characters. */
  LENGTH {
    @Override
    public double of(String text) {
      return text.length() / 1000.0;
    }
  },
  /**
   * Markdown elements: header lines, list items, code-fence lines and bold spans, each counted
   * once.
   */
  MARKDOWN {
    @Override
    public double of(String text) {
      return markdownElements(text);
    }
  };

  private static final Pattern HEADER = Pattern.compile("(?m)^ {0,3}#{1,6}\\s+\\S");
  private static final Pattern LIST_ITEM =
      Pattern.compile("(?m)^\\s*(?:[-*+]|\\d{1,3}[.)])\\s+\\S");
  private static final Pattern FENCE = Pattern.compile("(?m)^\\s*(?:```|~~~)");
  private static final Pattern BOLD = Pattern.compile("\\*\\*[^*\\n]+?\\*\\*|__[^_\\n]+?__");

  /** This measure of {@code text}. */
  public abstract double of(String text);

  /** The lower-case name used on the command line and in files. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Header lines + list items + code-fence lines + bold spans. */
  public static int markdownElements(String text) {
    return count(HEADER, text) + count(LIST_ITEM, text) + count(FENCE, text) + count(BOLD, text);
  }

  private static int count(Pattern p, String text) {
    Matcher m = p.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /**
   * {@code length}, {@code markdown}, {@code length,markdown}, or {@code none} (empty): the styles
   * named, each once, in the order given.
   */
  public static List<Style> parse(String spec) {
    List<Style> out = new ArrayList<>();
    if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("none")) {
      return out;
    }
    for (String part : spec.split(",")) {
      String name = part.trim().toUpperCase(Locale.ROOT);
      Style s;
      try {
        s = valueOf(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--debias: expected none or a list of length, markdown; got '" + part.trim() + "'");
      }
      if (out.contains(s)) {
        throw new IllegalArgumentException("--debias: " + s.label() + " given twice");
      }
      out.add(s);
    }
    return out;
  }
}
