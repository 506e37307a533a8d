package io.mtpbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;

class CommandLinesTest {
  private static CommandSpec demo() {
    CommandSpec spec = CommandLines.command("demo", "1.2", List.of("demo [options]"), "Does a demo.");
    spec.addOption(CommandLines.value("--name", "TEXT", "a name"));
    spec.addOption(CommandLines.repeatable("--item", "X", "an item; repeatable"));
    spec.addOption(CommandLines.flag("--fast", "go fast"));
    spec.addArgGroup(CommandLines.section("More options:", CommandLines.value("--colour", "C", "a colour")));
    CommandLines.footer(spec, "Exit status: 0 ok.");
    return spec;
  }

  private static String error(String... args) {
    return assertThrows(UsageException.class, () -> CommandLines.parse(demo(), args)).getMessage();
  }

  @Test void valuesByKeyInBothSpellings() throws Exception {
    ParseResult r = CommandLines.parse(demo(), "--name=N", "--item", "a", "--item=b=c", "--fast", "--colour", "red");
    assertEquals(Map.of("name", "N", "fast", "true", "colour", "red"), CommandLines.singleValues(r));
    assertEquals(Map.of("item", List.of("a", "b=c")), CommandLines.listValues(r));
  }

  @Test void errorsAreOneLineSayingWhatToDo() {
    assertEquals("unknown option --turbo (see --help for the list)", error("--turbo"));
    assertEquals("unknown option --turbo (see --help for the list)", error("--turbo=1"));
    assertEquals("unexpected argument \"stray\" (see --help)", error("stray"));
    assertEquals("--name needs a value (see --help)", error("--name"));
    assertEquals("--name given twice: give it once", error("--name", "a", "--name", "b"));
    assertEquals("--colour given twice: give it once", error("--colour", "a", "--colour", "b"));
    assertEquals("--fast takes no value", error("--fast=yes"));
    assertEquals("--help takes no value", error("--help=please"));
  }

  @Test void helpHasTheHouseLayout() {
    String help = CommandLines.usage(demo());
    assertTrue(help.startsWith("Usage: demo [options]\n\nDoes a demo.\n\nOptions:\n"), help);
    assertTrue(help.indexOf("--name=TEXT") < help.indexOf("--item=X"), "declaration order: " + help);
    assertTrue(help.contains("\nMore options:\n"), help);
    assertTrue(help.strip().endsWith("Exit status: 0 ok."), help);
    assertTrue(help.lines().allMatch(l -> l.length() <= CommandLines.HELP_WIDTH), help);
    assertEquals("demo 1.2", CommandLines.version(demo()));
  }

  @Command(name = "typed")
  static class Typed {
    @Option(names = "--keep", paramLabel = "N") int keep;
    @Parameters(paramLabel = "SET", arity = "1") String set;
  }

  @Test void typedValuesAndParametersInTheSameStyle() {
    CommandLine cl = CommandLines.commandLine(new Typed());
    CommandLine.ParameterException notInt = assertThrows(CommandLine.ParameterException.class, () -> cl.parseArgs("--keep", "x", "s"));
    assertEquals("--keep: 'x' is not an int (see mtpbridge prune --help)", UsageErrors.describe(notInt, "mtpbridge prune --help"));
    CommandLine.ParameterException missing = assertThrows(CommandLine.ParameterException.class, () -> CommandLines.commandLine(new Typed()).parseArgs("--keep", "1"));
    assertEquals("missing SET (see --help)", UsageErrors.describe(missing, "--help"));
  }
}
