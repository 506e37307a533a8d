package io.mtpbridge.backup.registration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads every {@code *.xml} file of the registration directory. A bad file is reported (file, line,
 * reason) and its owner left out; the others still load, because one broken package must not
 * disable backups of everything else.
 *
 * <p>A registration decides which uid may act as an owner and which files the engine (running as
 * root) reads and writes for it, so whoever may change one holds that power: the directory and
 * every file must belong to root (or to the user the engine runs as) and be writable by no group
 * and no one else, and files are never followed through symbolic links. Conflicts are never
 * settled by file-name order: an owner id claimed by two files, or passive paths claimed by two
 * owners, leaves out every registration involved and reports each.
 */
public final class RegistrationLoader {
  private static final long MAX_FILE = 256 * 1024;
  private static final int OTHERS_WRITE = 0002, GROUP_WRITE = 0020;

  private RegistrationLoader() {}

  public record Result(List<Registration> registrations, List<RegistrationException> problems) {
    public Result {
      registrations = List.copyOf(registrations);
      problems = List.copyOf(problems);
    }
  }

  /** The uid this process runs as: besides root, the only one trusted to own registrations. */
  static int engineUid() {
    return (int) new com.sun.security.auth.module.UnixSystem().getUid();
  }

  /**
   * Installs a registration file the way the loader trusts it, whatever the umask: the folder is
   * created if needed and left writable by its owner only (0755), the file is written aside and
   * renamed into place with mode 0644. For installers, demos and tests.
   */
  public static Path install(Path directory, String fileName, String xml) throws IOException {
    Files.createDirectories(directory);
    Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Path tmp = directory.resolve("." + fileName + ".tmp");
    Files.writeString(tmp, xml, java.nio.charset.StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    return Files.move(tmp, directory.resolve(fileName), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public static Result load(Path directory, Set<String> knownVolumes) throws IOException {
    RegistrationParser parser = new RegistrationParser(knownVolumes);
    TreeSet<Path> files = new TreeSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "*.xml")) {
      for (Path p : ds) files.add(p);
    }
    List<RegistrationException> problems = new ArrayList<>();
    String dirProblem = untrusted(directory, "the registration folder");
    Map<Path, Registration> parsed = new LinkedHashMap<>();
    for (Path file : files) {
      try {
        if (dirProblem != null) throw new RegistrationException(file, 0, dirProblem);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new RegistrationException(file, 0, "not a regular file (symbolic links are not followed)");
        String fileProblem = untrusted(file, "the file");
        if (fileProblem != null) throw new RegistrationException(file, 0, fileProblem);
        if (Files.size(file) > MAX_FILE) throw new RegistrationException(file, 0, "larger than " + MAX_FILE + " bytes");
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
          parsed.put(file, parser.parse(file, in));
        }
      } catch (RegistrationException e) {
        problems.add(e);
      } catch (IOException e) {
        problems.add(new RegistrationException(file, 0, "cannot read: " + e.getMessage()));
      }
    }
    Set<Path> refused = new TreeSet<>();
    Map<String, List<Path>> byId = new LinkedHashMap<>();
    for (Map.Entry<Path, Registration> e : parsed.entrySet()) byId.computeIfAbsent(e.getValue().ownerId(), k -> new ArrayList<>()).add(e.getKey());
    for (Map.Entry<String, List<Path>> e : byId.entrySet()) {
      if (e.getValue().size() < 2) continue;
      for (Path f : e.getValue()) {
        refused.add(f);
        problems.add(new RegistrationException(f, 0, "owner '" + e.getKey() + "' is registered by " + e.getValue().size()
            + " files (" + names(e.getValue()) + "): none of them is loaded until only one remains"));
      }
    }
    List<Path> passive = new ArrayList<>();
    for (Map.Entry<Path, Registration> e : parsed.entrySet()) if (!e.getValue().isActive() && !refused.contains(e.getKey())) passive.add(e.getKey());
    for (int i = 0; i < passive.size(); i++) {
      for (int j = i + 1; j < passive.size(); j++) {
        Registration a = parsed.get(passive.get(i)), b = parsed.get(passive.get(j));
        String where = overlap(a, b);
        if (where == null) continue;
        for (Path f : List.of(passive.get(i), passive.get(j))) {
          Registration other = f.equals(passive.get(i)) ? b : a;
          problems.add(new RegistrationException(f, 0, "its paths overlap those of owner '" + other.ownerId() + "' (" + other.source().getFileName()
              + ") at " + where + ": two owners may not claim the same files; neither is loaded"));
          refused.add(f);
        }
      }
    }
    List<Registration> ok = new ArrayList<>();
    for (Map.Entry<Path, Registration> e : parsed.entrySet()) if (!refused.contains(e.getKey())) ok.add(e.getValue());
    return new Result(ok, problems);
  }

  /** Why {@code p} may not be trusted (owner, write bits), or null. */
  private static String untrusted(Path p, String what) throws IOException {
    int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    int me = engineUid();
    if (uid != 0 && uid != me) return what + " belongs to uid " + uid + ", not root" + (me != 0 ? " or uid " + me : "") + ": chown root it";
    if ((mode & (GROUP_WRITE | OTHERS_WRITE)) != 0) {
      return what + " is writable by its group or by everyone (mode " + Integer.toOctalString(mode & 07777) + "): chmod go-w it";
    }
    return null;
  }

  private static String names(List<Path> files) {
    List<String> n = new ArrayList<>();
    for (Path f : files) n.add(f.getFileName().toString());
    return String.join(", ", n);
  }

  /** A path two passive owners both claim on one volume ("volume:path"), or null. */
  static String overlap(Registration a, Registration b) {
    for (Map.Entry<String, Registration.Selection> va : a.passive().orElseThrow().volumes().entrySet()) {
      Registration.Selection sb = b.passive().orElseThrow().volumes().get(va.getKey());
      if (sb == null) continue;
      String p = oneWay(va.getValue(), sb);
      if (p == null) p = oneWay(sb, va.getValue());
      if (p != null) return va.getKey() + ":" + p;
    }
    return null;
  }

  /** A path {@code b} claims that {@code a} covers, or a path of {@code a} below a claim of {@code b} that {@code b} covers. */
  private static String oneWay(Registration.Selection a, Registration.Selection b) {
    for (String x : claims(b)) {
      if (covers(a, x)) return x;
      for (String y : claims(a)) if (y.startsWith(x + "/") && covers(b, y)) return y;
    }
    return null;
  }

  private static List<String> claims(Registration.Selection s) {
    List<String> all = new ArrayList<>(s.includeDirectories());
    all.addAll(s.includeFiles());
    return all;
  }

  /** True when {@code s} takes {@code path}: an included file, or at or below an included folder, and not excluded. */
  private static boolean covers(Registration.Selection s, String path) {
    if (s.isExcluded(path)) return false;
    if (s.includeFiles().contains(path)) return true;
    for (String d : s.includeDirectories()) if (path.equals(d) || path.startsWith(d + "/")) return true;
    return false;
  }
}
