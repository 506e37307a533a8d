package io.mtpbridge.host.cli;

import io.mtpbridge.host.files.RemoteEntry;
import io.mtpbridge.host.files.RemoteFiles;
import java.io.IOException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "mv", description = "Move or rename a file or folder on the device. A DEST that is an existing folder"
    + " receives it under its own name; otherwise DEST is its new path.")
final class MvCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "SOURCE", description = "/STORAGE/PATH to move")
  String source;

  @Parameters(index = "1", paramLabel = "DEST", description = "/STORAGE/PATH it goes to")
  String dest;

  @Override
  public Integer call() throws IOException {
    try (Connection c = connect()) {
      RemoteFiles rf = files(c);
      RemoteEntry e = rf.resolve(source);
      if (e.isStorageRoot()) throw new CliException(source + " is a storage and cannot be moved");
      Optional<RemoteEntry> there = rf.find(dest);
      RemoteEntry folder;
      String name;
      if (there.isPresent() && there.get().folder()) {
        folder = there.get();
        name = e.name();
        if (rf.child(folder, name).isPresent()) throw new CliException(folder.path() + "/" + name + " already exists: remove it first or give another name");
      } else if (there.isPresent()) {
        throw new CliException(dest + " already exists: remove it first (mtpbridge rm " + dest + ") or give another name");
      } else {
        folder = rf.resolve(RemoteFiles.parentPath(dest));
        if (RemoteFiles.segments(RemoteFiles.parentPath(dest)).isEmpty()) throw new CliException(dest + " is not a path inside a storage");
        if (!folder.folder()) throw new CliException(folder.path() + " is a file, not a folder");
        name = RemoteFiles.lastName(dest);
      }
      String fromParent = RemoteFiles.parentPath(e.path());
      boolean moving = !fromParent.equals(folder.path());
      if (moving && (folder.path().equals(e.path()) || folder.path().startsWith(e.path() + "/"))) {
        throw new CliException("cannot move " + e.path() + " into itself");
      }
      boolean renaming = !name.equals(e.name());
      // rename first when the target folder already holds something under the old name
      boolean renameFirst = moving && renaming && rf.child(folder, e.name()).isPresent();
      if (renameFirst) rf.rename(e, name);
      if (moving) rf.move(e, folder);
      if (renaming && !renameFirst) rf.rename(e, name);
      say("Moved " + e.path() + " to " + folder.path() + "/" + name);
    }
    return OK;
  }
}
