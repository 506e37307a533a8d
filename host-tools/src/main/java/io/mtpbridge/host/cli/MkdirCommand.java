package io.mtpbridge.host.cli;

import io.mtpbridge.host.files.RemoteEntry;
import io.mtpbridge.host.files.RemoteFiles;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "mkdir", description = "Create a folder on the device (its parent must exist).")
final class MkdirCommand extends BaseCommand {
  @Parameters(paramLabel = "/STORAGE/PATH", description = "the new folder")
  String path;

  @Override
  public Integer call() throws IOException {
    try (Connection c = connect()) {
      RemoteFiles rf = files(c);
      if (RemoteFiles.segments(path).size() < 2) throw new CliException(path + " is not a folder path inside a storage (e.g. /Internal/New)");
      if (rf.find(path).isPresent()) throw new CliException(path + " already exists");
      RemoteEntry parent = rf.resolve(RemoteFiles.parentPath(path));
      if (!parent.folder()) throw new CliException(parent.path() + " is a file, not a folder");
      RemoteEntry made = rf.mkdir(parent, RemoteFiles.lastName(path));
      say("Created " + made.path() + "/");
    }
    return OK;
  }
}
