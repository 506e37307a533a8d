package io.mtpbridge.host.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import io.mtpbridge.cli.ExitStatus;
import io.mtpbridge.host.files.RemoteFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/** What every subcommand shares: the global options, output, progress and the device connection. */
abstract class BaseCommand implements Callable<Integer> {

  @ParentCommand MtpBridge root;

  Environment env() { return root.env; }

  PrintStream out() { return root.env.out(); }

  boolean json() { return root.json; }

  boolean quiet() { return root.quiet; }

  /** Progress on stderr, only when stdout is a terminal and neither --quiet nor --json was given. */
  ProgressBar progress() {
    return new ProgressBar(env().err(), env().terminal() && !quiet() && !json());
  }

  Connection connect() throws IOException {
    return Connection.open(env(), root.device);
  }

  RemoteFiles files(Connection c) {
    return new RemoteFiles(c.mtp, env().cancellation(), env().zone());
  }

  /** A JSON writer on stdout (pretty-printed, ends with a newline when closed by {@link #endJson}). */
  JsonGenerator jsonOut() throws IOException {
    JsonGenerator g = Json.FACTORY.createGenerator(out());
    g.useDefaultPrettyPrinter();
    g.setCharacterEscapes(Json.CONTROLS);
    return g;
  }

  void endJson(JsonGenerator g) throws IOException {
    g.flush();
    out().println();
    out().flush();
  }

  /** A human line, unless --quiet or --json. */
  void say(String line) {
    if (!quiet() && !json()) out().println(line);
  }

  /** Loaded on first use: most runs print no JSON. */
  private static final class Json {
    static final JsonFactory FACTORY = JsonFactory.builder().disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    static final CharacterEscapes CONTROLS = new Controls();
  }

  /**
   * JSON escapes only what JSON requires (below U+0020, quote, backslash); device names may also
   * hold DEL, the C1 controls and bidirectional overrides. Raw, they would reach the terminal, and
   * the guard on stdout ({@link VisibleText#guard}) would turn DEL and C1 into backslash-x escapes,
   * which JSON does not have: the output would no longer parse. Written as backslash-u escapes
   * they are valid JSON and inert.
   */
  private static final class Controls extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();

    Controls() {
      ascii[0x7F] = ESCAPE_STANDARD;
    }

    @Override public int[] getEscapeCodesForAscii() { return ascii; }

    @Override public SerializableString getEscapeSequence(int ch) {
      boolean hidden = (ch >= 0x80 && ch <= 0x9F) || (ch >= 0x202A && ch <= 0x202E) || (ch >= 0x2066 && ch <= 0x2069);
      return hidden ? new SerializedString(String.format("\\u%04X", ch)) : null;
    }
  }

  static final int OK = ExitStatus.OK;
  static final int FAILED = ExitStatus.FAILURE;
}
