package io.mtpbridge.host.cli;

import io.mtpbridge.host.files.RemoteEntry;
import io.mtpbridge.host.files.RemoteFiles;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = "Delete a file on the device, or a folder and everything in it with -r.")
final class RmCommand extends BaseCommand {
  @Option(names = {"-r", "-R", "--recursive"}, description = "delete a folder with its contents")
  boolean recursive;

  @Parameters(paramLabel = "/STORAGE/PATH", description = "what to delete")
  String path;

  @Override
  public Integer call() throws IOException {
    try (Connection c = connect()) {
      RemoteFiles rf = files(c);
      RemoteEntry e = rf.resolve(path);
      if (e.isStorageRoot()) throw new CliException(path + " is a storage and cannot be deleted; delete what is in it instead");
      if (e.folder() && !recursive) throw new CliException(path + " is a folder: use rm -r to delete it with everything in it");
      rf.delete(e);
      say("Deleted " + e.path() + (e.folder() ? "/" : ""));
    }
    return OK;
  }
}
