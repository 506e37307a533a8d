package io.mtpbridge.host;

import io.mtpbridge.host.cli.Environment;
import io.mtpbridge.host.cli.MtpBridge;
import io.mtpbridge.host.usb.LibUsbDeviceSource;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The training run behind mtpbridge's class-data sharing archive (the launcher and
 * command-line/launcher/cds.sh): the build runs it with {@code -XX:DumpLoadedClassList} and
 * archives every class it loaded, so a run maps them from the archive instead of loading, parsing
 * and verifying them from the jar at each start (under emulation most of a command's time).
 *
 * <p>A build machine has no MTP device, so it goes where mtpbridge goes without one: the command
 * line (help of every command, the version), libusb's start and enumeration ({@code devices},
 * and the one-line error of a command that needs a device), a repository ({@code history},
 * {@code verify}, {@code prune}: tar, JSON, SHA-256), and a session with a scripted device (open,
 * a file received into a file channel, close). The classes of the session paths it cannot reach
 * (USB transfers, backup, restore, copies) are loaded by name from mtpbridge's own packages and
 * the libraries they use.
 *
 * <p>Not a test: it fails loudly when a step it relies on does not work, so a broken training
 * run never produces a silently useless class list.
 */
public final class CdsTraining {
  /** Where mtpbridge's session code and the libraries it calls live (class-file path prefixes). */
  private static final List<String> LOADED_BY_NAME = List.of("io/mtpbridge/host/", "io/mtpbridge/cli/", "io/mtpbridge/backup/",
      "io/mtpbridge/core/code/", "io/mtpbridge/core/container/", "io/mtpbridge/core/dataset/", "io/mtpbridge/core/transport/",
      "picocli/", "org/usb4java/", "com/fasterxml/jackson/core/", "org/apache/commons/compress/archivers/tar/",
      "org/apache/commons/compress/utils/");

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createTempDirectory("mtpbridge-cds-training");
    try {
      commandLine(work);
      session(work);
      int loaded = loadByName();
      if (loaded < 500) throw new IllegalStateException("only " + loaded + " classes found by name: is the class path right?");
    } finally {
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.out.println("CDS training run done");
    System.exit(0);
  }

  private static void commandLine(Path work) throws Exception {
    Path repo = SampleRepository.withOneSet(work.resolve("repo"));
    String r = repo.toString();
    run(work, 0, "--version");
    run(work, 0, "--help");
    for (String command : MtpBridge.commandNames()) run(work, 0, command, "--help");
    run(work, 0, "history", "--repo", r);
    run(work, 0, "--json", "history", "--repo", r);
    run(work, 0, "verify", "--repo", r);
    run(work, 0, "prune", "--repo", r, "--keep", "2");
    run(work, 2, "nosuchcommand");
    // libusb: loaded, started, the buses listed (a build machine may have no USB at all: then
    // the start fails with its one-line error, which still loads the same classes)
    run(work, -1, "devices");
    run(work, -1, "--json", "devices");
    run(work, -1, "ls", "/");
  }

  private static void run(Path work, int expected, String... args) {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    Environment env = new Environment(nowhere, nowhere, LibUsbDeviceSource::open, false, work.resolve("backups"),
        ZoneId.systemDefault(), new Cancellation());
    int status = MtpBridge.run(args, env);
    if (expected >= 0 && status != expected) {
      throw new IllegalStateException("mtpbridge " + String.join(" ", args) + " ended with " + status + ", not " + expected);
    }
  }

  /** OpenSession, a 3 MiB GetObject into a file, GetStorageIDs, CloseSession with a scripted device. */
  private static void session(Path work) throws IOException {
    ScriptedLink link = new ScriptedLink(512);
    MtpInitiator mtp = new MtpInitiator(link, 1000, MtpInitiator.DEFAULT_TRANSFER_BUFFER);
    link.deviceSends(ScriptedLink.response(0x2001, 0), false);
    mtp.openSession(1);
    byte[] object = new byte[3 << 20];
    link.deviceSends(ScriptedLink.container(2, 0x1009, 1, object, 12L + object.length), true);
    link.deviceSends(ScriptedLink.response(0x2001, 1), false);
    try (FileChannel out = FileChannel.open(work.resolve("object.bin"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      if (mtp.getObject(5, out) != object.length) throw new IllegalStateException("the scripted GetObject came short");
    }
    byte[] ids = {1, 0, 0, 0, 1, 0, 1, 0};
    link.deviceSends(ScriptedLink.container(2, 0x1004, 2, ids, 12L + ids.length), true);
    link.deviceSends(ScriptedLink.response(0x2001, 2), false);
    if (mtp.getStorageIds().length != 1) throw new IllegalStateException("the scripted GetStorageIDs went wrong");
    MtpInitiator.decodePtpString(new byte[] {2, 'A', 0, 0, 0});
    link.deviceSends(ScriptedLink.response(0x2001, 3), false);
    mtp.closeSession();
  }

  /** Loads (without initialising) every class of {@link #LOADED_BY_NAME} on the class path; returns how many. */
  private static int loadByName() throws IOException {
    List<String> names = new ArrayList<>();
    for (String element : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(element);
      if (p.getFileName().toString().equals("test-classes")) continue;
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(f -> f.toString().endsWith(".class")).forEach(f -> names.add(p.relativize(f).toString().replace(File.separatorChar, '/')));
        }
      } else if (element.endsWith(".jar") && Files.isRegularFile(p)) {
        try (JarFile jar = new JarFile(p.toFile())) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) names.add(e.nextElement().getName());
        }
      }
    }
    int loaded = 0;
    ClassLoader loader = CdsTraining.class.getClassLoader();
    for (String name : names) {
      if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) continue;
      if (LOADED_BY_NAME.stream().noneMatch(name::startsWith)) continue;
      try {
        Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false, loader);
        loaded++;
      } catch (LinkageError | ClassNotFoundException e) {
        // a class for an optional dependency mtpbridge does not ship: it is not needed then either
      }
    }
    return loaded;
  }
}
