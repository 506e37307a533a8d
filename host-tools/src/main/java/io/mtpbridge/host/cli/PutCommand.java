package io.mtpbridge.host.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mtpbridge.host.files.RemoteEntry;
import io.mtpbridge.host.files.RemoteFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "put", description = "Copy a file or folder (recursively) to the device. Like cp: a REMOTE that is an"
    + " existing folder receives it under its own name, otherwise REMOTE is the new path. The file's mtime becomes"
    + " its DateModified; a failed copy leaves no partial file on the device.")
final class PutCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "LOCAL", description = "a file or folder on this PC")
  Path local;

  @Parameters(index = "1", arity = "0..1", paramLabel = "REMOTE", description = "/STORAGE/PATH (default: the root of the first storage)")
  String remote;

  private long files;
  private long bytes;

  @Override
  public Integer call() throws IOException {
    if (!Files.exists(local)) throw new CliException(local + " does not exist");
    try (Connection c = connect()) {
      RemoteFiles rf = files(c);
      if (remote == null) {
        if (rf.storages().isEmpty()) throw new CliException("the device has no storage to copy into");
        remote = "/" + rf.storages().get(0).name();
      }
      Optional<RemoteEntry> existing = rf.find(remote);
      RemoteEntry folder;
      String name;
      if (existing.isPresent() && existing.get().folder()) {
        folder = existing.get();
        name = local.toAbsolutePath().normalize().getFileName().toString();
      } else {
        String parentPath = RemoteFiles.parentPath(remote);
        if (RemoteFiles.segments(parentPath).isEmpty()) {
          throw new CliException("cannot create " + remote + " as a storage: copy into a storage, e.g. /"
              + (rf.storages().isEmpty() ? "Internal" : rf.storages().get(0).name()) + "/");
        }
        folder = rf.resolve(parentPath);
        if (!folder.folder()) throw new CliException(parentPath + " is a file, not a folder");
        name = RemoteFiles.lastName(remote);
      }
      checkNames(local, name);
      ProgressBar progress = progress();
      long started = System.nanoTime();
      if (Files.isDirectory(local)) copyFolder(rf, local, folder, name, progress);
      else copyFile(rf, local, folder, name, progress);
      String to = folder.path() + "/" + name;
      if (json()) {
        JsonGenerator g = jsonOut();
        g.writeStartObject();
        g.writeStringField("from", local.toString());
        g.writeStringField("to", to);
        g.writeNumberField("files", files);
        g.writeNumberField("bytes", bytes);
        g.writeNumberField("seconds", Math.round((System.nanoTime() - started) / 1e6) / 1e3);
        g.writeEndObject();
        endJson(g);
      } else {
        say("Copied " + local + " to " + to + " (" + files + (files == 1 ? " file, " : " files, ") + ProgressBar.bytes(bytes) + ")");
      }
    }
    return OK;
  }

  /** Every name the copy would send is one MTP can carry, checked before anything is copied. */
  private static void checkNames(Path top, String topName) throws IOException {
    RemoteFiles.checkSendable(topName, top);
    if (!Files.isDirectory(top)) return;
    Files.walkFileTree(top, new SimpleFileVisitor<>() {
      @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!dir.equals(top)) RemoteFiles.checkSendable(dir.getFileName().toString(), dir);
        return FileVisitResult.CONTINUE;
      }

      @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) RemoteFiles.checkSendable(file.getFileName().toString(), file);
        return FileVisitResult.CONTINUE;
      }

      @Override public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE; // the copy itself says what it cannot read
      }
    });
  }

  private void copyFile(RemoteFiles rf, Path file, RemoteEntry folder, String name, ProgressBar progress) throws IOException {
    if (!Files.isRegularFile(file)) {
      env().err().println("mtpbridge: skipped " + file + ": not a regular file");
      return;
    }
    env().cancellation().check();
    RemoteEntry e = rf.upload(file, folder, name, progress);
    files++;
    bytes += e.size();
  }

  private void copyFolder(RemoteFiles rf, Path dir, RemoteEntry parent, String name, ProgressBar progress) throws IOException {
    Optional<RemoteEntry> there = rf.child(parent, name);
    RemoteEntry folder;
    if (there.isPresent()) {
      if (!there.get().folder()) throw new CliException(there.get().path() + " is a file: give another name for the folder " + dir);
      folder = there.get();
    } else {
      folder = rf.mkdir(parent, name);
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) entries.add(p);
    }
    entries.sort(null);
    for (Path p : entries) {
      String n = p.getFileName().toString();
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) copyFolder(rf, p, folder, n, progress);
      else copyFile(rf, p, folder, n, progress);
    }
    rf.setModified(folder, Files.getLastModifiedTime(dir).toInstant());
  }
}
