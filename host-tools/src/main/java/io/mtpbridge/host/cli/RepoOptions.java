package io.mtpbridge.host.cli;

import io.mtpbridge.host.link.AttachedDevice;
import io.mtpbridge.host.link.DeviceSource;
import io.mtpbridge.host.repo.BackupRepository;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --repo, and how a command finds the repository of "this device" when it is not given. */
final class RepoOptions {
  @Option(names = "--repo", paramLabel = "DIR",
      description = "the folder holding this device's backup sets (default $XDG_DATA_HOME/mtpbridge/backups/<device serial>)")
  Path repo;

  /** The repository of a connected device with serial {@code serial}. */
  BackupRepository forSerial(Environment env, String serial) {
    return new BackupRepository(repo != null ? given() : BackupRepository.deviceFolder(env.backupsRoot(), serial));
  }

  /** --repo, which may not exist yet (a first backup makes it) but must not be a file. */
  private Path given() {
    if (Files.exists(repo) && !Files.isDirectory(repo)) {
      throw new CliException("--repo " + repo + " is a file, not a folder: give the folder that holds this device's backup sets");
    }
    return repo;
  }

  /**
   * The repository for commands that need no device (history, verify, prune): --repo; else the
   * folder of --device's serial; else that of the one connected device; else the only device
   * folder there is.
   */
  BackupRepository offline(Environment env, String deviceSelector) throws IOException {
    if (repo != null) return new BackupRepository(given());
    List<String> serials = new ArrayList<>();
    Path root = env.backupsRoot();
    if (Files.isDirectory(root)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, Files::isDirectory)) {
        for (Path p : ds) if (!p.getFileName().toString().startsWith(".")) serials.add(p.getFileName().toString());
      }
    }
    serials.sort(null);
    if (deviceSelector != null && serials.contains(BackupRepository.deviceFolder(root, deviceSelector).getFileName().toString())) {
      return new BackupRepository(BackupRepository.deviceFolder(root, deviceSelector));
    }
    try (DeviceSource source = env.devices().open()) {
      List<AttachedDevice> all = source.devices();
      if (deviceSelector != null || all.size() == 1) {
        AttachedDevice d = Connection.choose(all, deviceSelector);
        String serial = d.serial();
        if (serial.isEmpty()) {
          try (Connection c = Connection.open(new NoClose(source), d)) {
            serial = c.serial();
          }
        }
        return new BackupRepository(BackupRepository.deviceFolder(root, serial));
      }
    } catch (CliException e) {
      if (deviceSelector != null) throw e;
    } catch (IOException e) {
      // no USB here: fall back to what the backups folder holds
    }
    if (serials.size() == 1) return new BackupRepository(root.resolve(serials.get(0)));
    if (serials.isEmpty()) throw new CliException("no backups yet in " + root + " (make one with mtpbridge backup, or give --repo DIR)");
    throw CliException.usage("backups of several devices are in " + root + " (" + String.join(", ", serials)
        + "): choose one with --device SERIAL or --repo DIR");
  }

  private record NoClose(DeviceSource inner) implements DeviceSource {
    @Override public List<AttachedDevice> devices() throws IOException { return inner.devices(); }

    @Override public void close() {}
  }
}
