package org.ser4j.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * `--help` with the options under headings (data, encoder, head, fine-tuning, selection, decisions,
 * runtime, ...) instead of one alphabetical list: each option is filed under the option group
 * (mixin) that declares it; a command's own options come last.
 */
final class GroupedHelp implements CommandLine.IHelpSectionRenderer {
  /** Headings by the declaring mixin's class, in the order shown. */
  private static final Map<String, String> HEADINGS = new LinkedHashMap<>();

  static {
    HEADINGS.put("DataSpecMixin", "Data");
    HEADINGS.put("ReadOptionsMixin", "Data");
    HEADINGS.put("SettingsFile", "Settings from a file or a run");
    HEADINGS.put("ModelOptions", "Model");
    HEADINGS.put("EncoderOptions", "Encoder");
    HEADINGS.put("TrainOptions", "Head training");
    HEADINGS.put("FineTuneOptions", "Fine-tuning");
    HEADINGS.put("SerOptions", "Selection");
    HEADINGS.put("SparkEngine", "Spark");
    HEADINGS.put("RuntimeOptions", "Runtime");
  }

  /** SerOptions' options that decide which loop is kept and when the run stops. */
  private static final Set<String> DECISIONS =
      Set.of(
          "--decision-folds",
          "--keep",
          "--max-loops",
          "--min-new",
          "--warm-start",
          "--self-label-weight");

  private static final String OWN = "Options";

  /** Installs the grouped option list on {@code cli} and every subcommand. */
  static void install(CommandLine cli) {
    cli.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, new GroupedHelp());
    cli.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
    cli.getSubcommands().values().forEach(GroupedHelp::install);
  }

  @Override
  public String render(CommandLine.Help help) {
    CommandSpec spec = help.commandSpec();
    Map<String, String> headingOf = new HashMap<>();
    file(spec, headingOf);
    Map<String, List<OptionSpec>> groups = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(new java.util.LinkedHashSet<>(HEADINGS.values()));
    order.add(order.indexOf("Selection") + 1, "Decisions");
    order.forEach(h -> groups.put(h, new ArrayList<>()));
    groups.put(OWN, new ArrayList<>());
    for (OptionSpec o : spec.options()) {
      if (!o.hidden()) {
        groups.get(headingOf.getOrDefault(o.longestName(), OWN)).add(o);
      }
    }
    StringBuilder out = new StringBuilder();
    groups.forEach(
        (heading, options) -> {
          if (!options.isEmpty()) {
            out.append(String.format("%n%s:%n", heading));
            out.append(help.optionListExcludingGroups(options));
          }
        });
    return out.toString();
  }

  /** Files every option of {@code spec}'s mixins (nested mixins first) under its heading. */
  private static void file(CommandSpec spec, Map<String, String> headingOf) {
    for (CommandSpec mixin : spec.mixins().values()) {
      file(mixin, headingOf); // a nested mixin (runtime options in the encoder's) keeps its own
      String heading = HEADINGS.get(mixin.userObject().getClass().getSimpleName());
      if (heading == null) {
        continue;
      }
      for (OptionSpec o : mixin.options()) {
        String h =
            heading.equals("Selection") && DECISIONS.contains(o.longestName())
                ? "Decisions"
                : heading;
        headingOf.putIfAbsent(o.longestName(), h);
      }
    }
  }
}
