package io.mtpbridge.host.cli;

import io.mtpbridge.cli.CommandLines;
import io.mtpbridge.cli.ExitStatus;
import io.mtpbridge.cli.UsageErrors;
import io.mtpbridge.host.Cancellation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * mtpbridge, the PC side: browse and copy files on an MTP device over USB, and back it up and
 * restore it with a history kept on the PC. See host-tools/README.md.
 */
@Command(name = "mtpbridge",
    mixinStandardHelpOptions = true,
    versionProvider = MtpBridge.Version.class,
    customSynopsis = "mtpbridge [--device SERIAL|BUS-ADDR] [--json] [--quiet] COMMAND [ARGS]",
    description = "Browse, copy, back up and restore an MTP device over USB. Remote paths are /<storage>/<path>,"
        + " as file managers show them (mtpbridge ls / lists the storages).",
    footer = {"Exit status: 0 done, 1 failed (the message says what to do), 2 wrong command line.",
        "Backups are kept in $XDG_DATA_HOME/mtpbridge/backups/<device serial>/ (~/.local/share/...) unless --repo DIR."})
public final class MtpBridge implements Runnable {
  @Option(names = "--device", paramLabel = "SERIAL|BUS-ADDR", scope = ScopeType.INHERIT,
      description = "the device to use, by serial number or bus-address (see mtpbridge devices); needed when several are connected")
  String device;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "machine-readable output (JSON)")
  boolean json;

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "print only what was asked for (ids, listings); no progress")
  boolean quiet;

  @Spec CommandSpec spec;

  final Environment env;

  MtpBridge(Environment env) {
    this.env = env;
  }

  @Override
  public void run() {
    throw CliException.usage("give a command: devices, ls, get, put, mkdir, rm, mv, owners, backup, history, verify, restore or prune (see mtpbridge --help)");
  }

  public static void main(String[] args) {
    // No logging backend: what goes wrong reaches the person as the command's one-line error, and
    // stdout stays the program's output (--json). Without this, SLF4J would print three lines about
    // the missing backend; configuring one (logback) cost ~9 s of start-up under emulation.
    if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
    Environment env = Environment.system();
    installCtrlC(env.cancellation());
    int status = run(args, env);
    System.out.flush();
    System.exit(status);
  }

  /**
   * Ctrl-C (and SIGTERM) cancel the work in progress, which then cleans up: the device session is
   * aborted, a partial file or set removed. A second Ctrl-C ends the program at once.
   */
  static void installCtrlC(Cancellation cancellation) {
    CtrlC handler = new CtrlC(cancellation);
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), handler);
      } catch (IllegalArgumentException | UnsupportedOperationException ignored) {
        // no signal handling here: the JVM's default ends the program
      }
    }
  }

  // The handlers below are classes, not lambdas: a lambda is a class made at run time on its first
  // use (and these are not in the class-data archive: picocli's interfaces are Java 5 classes,
  // which the JDK 17 archive leaves out), a noticeable part of a short command's start under
  // emulation (host-tools/README.md, benchmarks/README.md).

  private static final class CtrlC implements sun.misc.SignalHandler {
    private final Cancellation cancellation;

    CtrlC(Cancellation cancellation) { this.cancellation = cancellation; }

    @Override public void handle(Signal s) {
      if (cancellation.isCancelled()) {
        Runtime.getRuntime().halt(130);
      }
      cancellation.cancel();
    }
  }

  /** A wrong command line: one line naming the help to read, exit status 2. */
  private static final class UsageHandler implements CommandLine.IParameterExceptionHandler {
    private final CommandLine root;
    private final Environment env;

    UsageHandler(CommandLine root, Environment env) {
      this.root = root;
      this.env = env;
    }

    @Override public int handleParseException(ParameterException e, String[] args) {
      String help = e.getCommandLine() == root ? "mtpbridge --help" : "mtpbridge " + e.getCommandLine().getCommandName() + " --help";
      env.err().println("mtpbridge: " + VisibleText.of(UsageErrors.describe(e, help)));
      return ExitStatus.USAGE;
    }
  }

  /** A failed command: one line saying what to do, its exit status. */
  private static final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
    private final Environment env;

    FailureHandler(Environment env) { this.env = env; }

    @Override public int handleExecutionException(Exception e, CommandLine c, CommandLine.ParseResult r) {
      if (e instanceof CliException ce) {
        env.err().println("mtpbridge: " + VisibleText.of(String.valueOf(ce.getMessage())));
        return ce.exitStatus();
      }
      env.err().println("mtpbridge: " + VisibleText.of(Errors.describe(e)));
      return ExitStatus.FAILURE;
    }
  }

  private static final class FailureStatus implements CommandLine.IExitCodeExceptionMapper {
    @Override public int getExitCode(Throwable t) { return ExitStatus.FAILURE; }
  }

  /**
   * The commands by name, in the order the help lists them. picocli reads the annotations of every
   * registered command through reflection before it parses anything, which under emulation cost
   * seconds per run; so only the commands the arguments name are registered ({@link #commandsFor}).
   */
  static final Map<String, Class<?>> COMMANDS = commands(DevicesCommand.class, LsCommand.class, GetCommand.class,
      PutCommand.class, MkdirCommand.class, RmCommand.class, MvCommand.class, OwnersCommand.class, BackupCommand.class,
      HistoryCommand.class, VerifyCommand.class, RestoreCommand.class, PruneCommand.class);

  private static Map<String, Class<?>> commands(Class<?>... classes) {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    for (Class<?> c : classes) {
      String simple = c.getSimpleName();
      m.put(simple.substring(0, simple.length() - "Command".length()).toLowerCase(Locale.ROOT), c);
    }
    return Collections.unmodifiableMap(m);
  }

  /** The names of the commands, in the order the help lists them. */
  public static Collection<String> commandNames() { return COMMANDS.keySet(); }

  /**
   * The commands to register for {@code args}: every one an argument names (picocli needs the one
   * that is run; a named one that turns out to be an option's value costs nothing), or all of
   * them when none is named or help or the version is asked for, where the list is shown or a
   * mistyped name gets suggestions.
   */
  static Collection<Class<?>> commandsFor(String[] args) {
    List<Class<?>> named = new ArrayList<>();
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) return COMMANDS.values();
      Class<?> c = COMMANDS.get(a);
      if (c != null && !named.contains(c)) named.add(c);
    }
    return named.isEmpty() ? COMMANDS.values() : named;
  }

  /** Runs one command line; returns the exit status. */
  public static int run(String[] args, Environment env) {
    CommandSpec root = CommandSpec.forAnnotatedObject(new MtpBridge(env));
    for (Class<?> c : commandsFor(args)) {
      // every command has --help (the usage errors point to "mtpbridge COMMAND --help")
      root.addSubcommand(null, CommandSpec.forAnnotatedObject(c).mixinStandardHelpOptions(true).versionProvider(new Version()));
    }
    CommandLine cl = CommandLines.commandLine(root);
    for (CommandLine sub : cl.getSubcommands().values()) CommandLines.applyLayout(sub.getCommandSpec());
    CommandLines.applyLayout(cl.getCommandSpec());
    cl.setOut(new PrintWriter(env.out(), true));
    cl.setErr(new PrintWriter(env.err(), true));
    cl.setParameterExceptionHandler(new UsageHandler(cl, env));
    cl.setExecutionExceptionHandler(new FailureHandler(env));
    cl.setExitCodeExceptionMapper(new FailureStatus());
    return cl.execute(args);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override public String[] getVersion() {
      return new String[] {"mtpbridge " + CommandLines.implementationVersion(MtpBridge.class, "0.1.0")};
    }
  }

  /** One line for an exception, saying what to do where we know. */
  static final class Errors {
    private Errors() {}

    /** What a person can do about the usual refusals of file operations. */
    static String hint(int code) {
      return switch (code) {
        case 0x200E -> "the storage is read-only";
        case 0x200D -> "the object is write-protected on the device";
        case 0x200C -> "the device's storage is full: free some space";
        case 0x200F -> "the device denied access to it";
        case 0x2009, 0x2008 -> "it changed on the device meanwhile: list it again (mtpbridge ls)";
        case 0x2019 -> "the device is busy: try again in a moment";
        case 0x2012 -> "only part of it could be deleted";
        case 0x2005 -> "the device does not offer this operation";
        case 0x201E -> "another program has a session open on the device: end it and try again";
        default -> "";
      };
    }

    static String describe(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof io.mtpbridge.host.link.UsbTransferException u && u.status() == io.mtpbridge.host.link.TransferStatus.DISCONNECTED
            && t == e.getCause()) {
          return "lost the device during " + e.getMessage().replaceFirst(":.*", "") + " (unplugged, reset or switched off):"
              + " nothing partial was kept; plug it in again and retry";
        }
      }
      if (e instanceof io.mtpbridge.host.MtpResponseException r && !(e instanceof io.mtpbridge.host.backup.BackupRefusedException)) {
        String hint = hint(r.responseCode());
        return r.getMessage() + (hint.isEmpty() ? "" : ": " + hint);
      }
      if (e instanceof NoSuchFileException n) return n.getMessage().startsWith("no set ") ? n.getMessage() : n.getMessage() + ": no such file or folder";
      if (e instanceof java.nio.file.AccessDeniedException a) return a.getMessage() + ": permission denied";
      if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getFile() + ": " + f.getReason();
      if (e instanceof IOException && e.getMessage() != null) return e.getMessage();
      if (e instanceof java.nio.file.InvalidPathException p) {
        // Java takes the encoding of file names from the locale at start: under C/POSIX it is ASCII
        return p.getInput() + ": a file name this locale's encoding (" + System.getProperty("sun.jnu.encoding")
            + ") cannot hold: run mtpbridge with LC_ALL=C.UTF-8 (the ./mtpbridge launcher does)";
      }
      return "internal error: " + e + " (please report it)";
    }
  }
}
