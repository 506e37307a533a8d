package io.mtpbridge.host.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
  }

  static final int OK = ExitStatus.OK;
  static final int FAILED = ExitStatus.FAILURE;
}
