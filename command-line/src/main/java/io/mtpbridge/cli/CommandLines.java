package io.mtpbridge.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * picocli set up once for every program of the project, so mtpd, device-sim and mtpbridge share
 * one help layout (synopsis, description, option sections, footer with the exit statuses; 100
 * columns, options in the order they are declared), one parser behaviour (long options as
 * {@code --name VALUE} or {@code --name=VALUE}, a single-value option given twice is an error,
 * no abbreviations) and one error style ({@link UsageErrors}).
 */
public final class CommandLines {
  /** Columns of the help text: wide enough for the option descriptions, narrow enough for a terminal. */
  public static final int HELP_WIDTH = 100;

  private CommandLines() {}

  /**
   * A command with the standard {@code --help} and {@code --version} options and the house
   * help layout. {@code synopsis} lines follow "Usage: "; {@code description} lines follow it
   * after a blank line.
   */
  public static CommandSpec command(String name, String version, List<String> synopsis, String... description) {
    CommandSpec spec = CommandSpec.create().name(name).version(name + " " + version);
    // picocli's standard help options, declared here rather than mixed in: its mixin is an
    // annotated class, read by reflection with annotation proxies (classes generated at each
    // start) and names interpolated from system properties and the environment, a noticeable
    // part of a small board's start for two options. Same names, texts and place in the help.
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class)
        .description("Show this help message and exit.").build());
    spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).type(boolean.class)
        .description("Print version information and exit.").build());
    applyLayout(spec);
    spec.usageMessage().customSynopsis(synopsis.toArray(String[]::new)).description(description);
    return spec;
  }

  /** The house help layout on a command built elsewhere (e.g. an annotated picocli class). */
  public static void applyLayout(CommandSpec spec) {
    spec.usageMessage()
        .width(HELP_WIDTH)
        .autoWidth(false)
        .sortOptions(false)
        .sortSynopsis(false)
        .abbreviateSynopsis(true)
        .descriptionHeading("%n")
        .parameterListHeading("%n")
        .optionListHeading("%nOptions:%n")
        .commandListHeading("%nCommands:%n")
        .footerHeading("%n");
  }

  /** The lines of the help footer (typically the exit statuses). */
  public static void footer(CommandSpec spec, String... lines) {
    spec.usageMessage().footer(lines);
  }

  /** An option taking one value, e.g. {@code --serial TEXT}. */
  public static OptionSpec value(String name, String label, String... description) {
    return OptionSpec.builder(name).paramLabel(label).type(String.class).arity("1").description(description).build();
  }

  /** An option that may be given several times, each time with one value: {@code --storage A=/a --storage B=/b}. */
  public static OptionSpec repeatable(String name, String label, String... description) {
    return OptionSpec.builder(name).paramLabel(label).type(List.class).auxiliaryTypes(String.class).arity("1")
        .description(description).build();
  }

  /** An option without a value, e.g. {@code --demo}. */
  public static OptionSpec flag(String name, String... description) {
    return OptionSpec.builder(name).type(boolean.class).arity("0").description(description).build();
  }

  /** An option the parser accepts but the help does not list (so the program can refuse it with a reason). */
  public static OptionSpec hidden(OptionSpec option) {
    return option.toBuilder().hidden(true).build();
  }

  /** A titled section of the option list; grouping is for the help only, nothing is validated. */
  public static ArgGroupSpec section(String heading, OptionSpec... options) {
    ArgGroupSpec.Builder group = ArgGroupSpec.builder().heading("%n" + heading + "%n").validate(false).exclusive(false);
    for (OptionSpec o : options) group.addArg(o);
    return group.build();
  }

  /** A {@link CommandLine} with the house parser settings. */
  public static CommandLine commandLine(Object commandOrSpec) {
    CommandLine cl = new CommandLine(commandOrSpec);
    cl.setOverwrittenOptionsAllowed(false);
    cl.setAbbreviatedOptionsAllowed(false);
    cl.setAbbreviatedSubcommandsAllowed(false);
    cl.setPosixClusteredShortOptionsAllowed(true);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUnmatchedOptionsArePositionalParams(false);
    cl.setToggleBooleanFlags(false);
    cl.setTrimQuotes(false);
    cl.setUsageHelpWidth(HELP_WIDTH);
    return cl;
  }

  /**
   * Parses {@code args}; a wrong command line becomes a {@link UsageException} with the house
   * one-line message. Options of a help section given twice are caught here too (picocli
   * would count them as two occurrences of the section).
   */
  public static ParseResult parse(CommandSpec spec, String... args) throws UsageException {
    CommandLine cl = commandLine(spec);
    ParseResult result;
    try {
      result = cl.parseArgs(args);
    } catch (ParameterException e) {
      throw new UsageException(UsageErrors.describe(e, "--help"));
    }
    for (OptionSpec o : new LinkedHashSet<>(result.matchedOptions())) {
      if (!o.isMultiValue() && o.arity().max() > 0 && o.originalStringValues().size() > 1) {
        throw new UsageException(o.longestName() + " given twice: give it once");
      }
    }
    return result;
  }

  /**
   * The values given on the command line, by long option name without the dashes: a single
   * value for an ordinary option, {@code "true"} for a flag. Repeatable options are in
   * {@link #listValues}.
   */
  public static Map<String, String> singleValues(ParseResult result) {
    Map<String, String> values = new LinkedHashMap<>();
    for (OptionSpec o : new LinkedHashSet<>(result.matchedOptions())) {
      if (o.isMultiValue() || o.usageHelp() || o.versionHelp()) continue;
      List<String> given = o.originalStringValues();
      values.put(key(o), o.arity().max() == 0 ? "true" : given.get(given.size() - 1));
    }
    return values;
  }

  /** The values of repeatable options given on the command line, in the order given. */
  public static Map<String, List<String>> listValues(ParseResult result) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (OptionSpec o : new LinkedHashSet<>(result.matchedOptions())) {
      if (o.isMultiValue()) values.put(key(o), new ArrayList<>(o.originalStringValues()));
    }
    return values;
  }

  /** An option's long name without the leading dashes: the key it has in a config file. */
  public static String key(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }

  /** The help text, as {@code --help} prints it. */
  public static String usage(CommandSpec spec) {
    StringWriter text = new StringWriter();
    commandLine(spec).usage(new PrintWriter(text));
    return text.toString();
  }

  /** The {@code --version} line. */
  public static String version(CommandSpec spec) {
    return String.join("\n", spec.version());
  }

  /** The version a class's jar declares (Implementation-Version), or {@code fallback} when run from classes. */
  public static String implementationVersion(Class<?> type, String fallback) {
    String v = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
    return v != null ? v : fallback;
  }
}
