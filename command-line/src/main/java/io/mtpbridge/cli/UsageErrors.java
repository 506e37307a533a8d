package io.mtpbridge.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns picocli's parse errors into the project's error style: one short line that names the
 * option as the person wrote it and says what to do, e.g. {@code unknown option --turbo (see
 * --help for the list)}. picocli's own texts ("Unmatched argument at index 0: ...") read like a
 * parser talking to itself.
 */
public final class UsageErrors {
  /** picocli's text for {@code --flag=value} on an option without a value. */
  private static final Pattern FLAG_WITH_VALUE = Pattern.compile("option '([^']+)' should be specified without '.*' parameter");

  private UsageErrors() {}

  /** The one-line message for a parse error of the command whose help is {@code helpHint}. */
  public static String describe(ParameterException e, String helpHint) {
    if (e instanceof UnmatchedArgumentException u) {
      List<String> unmatched = u.getUnmatched();
      String first = unmatched.isEmpty() ? "" : unmatched.get(0);
      if (first.startsWith("-") && first.length() > 1) {
        int eq = first.indexOf('=');
        return "unknown option " + (eq > 0 ? first.substring(0, eq) : first) + " (see " + helpHint + " for the list)";
      }
      return "unexpected argument \"" + first + "\" (see " + helpHint + ")";
    }
    if (e instanceof MissingParameterException m) {
      List<ArgSpec> missing = m.getMissing();
      ArgSpec arg = missing == null || missing.isEmpty() ? null : missing.get(0);
      if (arg instanceof OptionSpec o && m.getMessage().startsWith("Missing required parameter")) {
        return o.longestName() + " needs a value (see " + helpHint + ")";
      }
      if (arg instanceof OptionSpec o) return "give " + o.longestName() + " " + o.paramLabel() + " (see " + helpHint + ")";
      if (arg instanceof PositionalParamSpec p) return "missing " + p.paramLabel() + " (see " + helpHint + ")";
    }
    if (e instanceof OverwrittenOptionException o && o.getOverwritten() instanceof OptionSpec spec) {
      return spec.longestName() + " given twice: give it once";
    }
    if (e.getArgSpec() instanceof OptionSpec o && o.arity().max() == 0) {
      return o.longestName() + " takes no value";
    }
    String text = e.getMessage() == null ? e.toString() : e.getMessage();
    Matcher valueForFlag = FLAG_WITH_VALUE.matcher(text);
    if (valueForFlag.matches()) return valueForFlag.group(1) + " takes no value";
    // "Invalid value for option '--keep': 'x' is not an int" -> "--keep: 'x' is not an int"
    text = text.replaceFirst("^Invalid value for (?:option|positional parameter) '([^']+)'", "$1");
    return text + " (see " + helpHint + ")";
  }
}
