package io.mtpbridge.host.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mtpbridge.host.files.Descent;
import io.mtpbridge.host.files.RemoteEntry;
import io.mtpbridge.host.files.RemoteFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Copy a file or folder (recursively) from the device. Like cp: a LOCAL that is an"
    + " existing folder receives it under its own name, otherwise LOCAL is the new path. DateModified is kept;"
    + " an interrupted or failed copy leaves no partial file.")
final class GetCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "REMOTE", description = "/STORAGE/PATH on the device")
  String remote;

  @Parameters(index = "1", arity = "0..1", paramLabel = "LOCAL", description = "where to put it (default: the current folder)")
  Path local = Path.of(".");

  private long files;
  private long bytes;
  private final Descent descent = new Descent();

  @Override
  public Integer call() throws IOException {
    try (Connection c = connect()) {
      RemoteFiles rf = files(c);
      RemoteEntry src = rf.resolve(remote);
      Path target = Files.isDirectory(local) ? local.resolve(src.name()) : local;
      Path parent = target.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        throw new CliException("cannot save to " + local + ": the folder " + parent + " does not exist (create it first)");
      }
      ProgressBar progress = progress();
      long started = System.nanoTime();
      if (src.folder()) copyFolder(rf, src, target, progress);
      else copyFile(rf, src, target, progress);
      if (json()) {
        JsonGenerator g = jsonOut();
        g.writeStartObject();
        g.writeStringField("from", src.path());
        g.writeStringField("to", target.toString());
        g.writeNumberField("files", files);
        g.writeNumberField("bytes", bytes);
        g.writeNumberField("seconds", Math.round((System.nanoTime() - started) / 1e6) / 1e3);
        g.writeEndObject();
        endJson(g);
      } else {
        say("Copied " + src.path() + " to " + target + " (" + files + (files == 1 ? " file, " : " files, ") + ProgressBar.bytes(bytes) + ")");
      }
    }
    return OK;
  }

  private void copyFile(RemoteFiles rf, RemoteEntry src, Path target, ProgressBar progress) throws IOException {
    if (Files.isDirectory(target)) throw new CliException(target + " is a folder: give another name or remove it first");
    env().cancellation().check();
    bytes += rf.download(src, target, progress);
    files++;
  }

  private void copyFolder(RemoteFiles rf, RemoteEntry src, Path target, ProgressBar progress) throws IOException {
    descent.enter(src);
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new CliException(target + " exists and is a file: give another name for the folder " + src.path());
    }
    try {
      Files.createDirectory(target);
    } catch (FileAlreadyExistsException merge) {
      // an existing folder receives the copy
    }
    Set<Object> saved = new HashSet<>();
    for (RemoteEntry c : rf.children(src)) {
      Path t = target.resolve(safeName(c));
      Object there = localKey(t);
      if (there != null && saved.contains(there)) {
        throw new CliException("the device lists " + c.path() + " twice, or beside a name this file system does not tell"
            + " apart from it (e.g. in case): only the first was copied to " + t + "; rename one on the device");
      }
      if (c.folder()) copyFolder(rf, c, t, progress);
      else copyFile(rf, c, t, progress);
      Object key = localKey(t);
      if (key != null) saved.add(key);
    }
    descent.leave(src);
    if (src.modified() != null) Files.setLastModifiedTime(target, FileTime.from(src.modified()));
  }

  /**
   * What identifies a local file or folder (its inode), so two device names that land on one local
   * file (listed twice, or "A" and "a" on a case-insensitive disk) are noticed instead of the
   * second silently replacing the first; null when nothing is there.
   */
  private static Object localKey(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return null;
    Object key = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    return key != null ? key : p.toAbsolutePath().normalize();
  }

  /** A device name that is a single path segment here (the device may allow what this system does not). */
  private static String safeName(RemoteEntry e) {
    String n = e.name();
    if (n.isEmpty() || n.equals(".") || n.equals("..") || n.contains("/") || n.indexOf('\0') >= 0) {
      throw new CliException("the device lists an entry named \"" + n + "\" (" + e.path() + ")"
          + " that cannot be saved here: rename it on the device first");
    }
    return n;
  }
}
