package io.mtpbridge.host.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.protocol.SessionStatus;
import io.mtpbridge.host.backup.BackupClient;
import io.mtpbridge.host.backup.HostBackup;
import io.mtpbridge.host.repo.BackupRepository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup", description = "Back up the device's data owners into the repository. Incremental (on top of"
    + " the newest set, whose snapshots go to the device) when the repository holds a set of this device, full"
    + " otherwise or with --full. The set appears only once it is complete and every stream's SHA-256 matched;"
    + " Ctrl-C, an unplug or a failure aborts the session on the device and keeps nothing. Prints the new set id.")
final class BackupCommand extends BaseCommand {
  @Mixin RepoOptions repoOptions;

  @Option(names = "--full", description = "a full set even when the repository has sets to build on")
  boolean full;

  @Option(names = "--owner", paramLabel = "ID", description = "back up only this owner (repeatable; see mtpbridge owners)")
  List<String> owners = new ArrayList<>();

  @Option(names = "--volume", paramLabel = "NAME", description = "back up only this volume (repeatable)")
  List<String> volumes = new ArrayList<>();

  static void requireBackup(Connection c) {
    if (!BackupClient.supportedBy(c.info)) {
      throw new CliException(c.name() + " does not serve backups (no mtpbridge.io/backup extension): run mtpd with"
          + " --backup-registrations and --backup-volume on it");
    }
  }

  @Override
  public Integer call() throws IOException {
    try (Connection c = connect()) {
      requireBackup(c);
      BackupRepository repo = repoOptions.forSerial(env(), c.serial());
      long started = System.nanoTime();
      HostBackup backup = new HostBackup(new BackupClient(c.mtp), env().cancellation(), new BackupProgress(progress()));
      HostBackup.BackupResult r = backup.backup(repo,
          new HostBackup.DeviceIdentity(c.serial(), c.info.manufacturer(), c.info.model()),
          new HostBackup.Request(full, owners, volumes));
      List<String> failed = new ArrayList<>();
      for (Manifest.OwnerState o : r.set().owners()) {
        if (!o.ok()) failed.add(o.id() + " (" + o.status() + (o.error() == null || o.error().isEmpty() ? "" : ": " + o.error()) + ")");
      }
      if (json()) {
        JsonGenerator g = jsonOut();
        HistoryCommand.writeSet(g, r.set(), Math.round((System.nanoTime() - started) / 1e6) / 1e3);
        endJson(g);
      } else if (quiet()) {
        out().println(r.set().id());
      } else {
        out().println(r.set().id());
        say("Saved " + r.set().type() + " set " + r.set().id() + (r.set().parent() == null ? "" : " (on top of " + r.set().parent() + ")")
            + " in " + r.set().folder() + ": " + ProgressBar.bytes(r.set().record().bytes()) + ", owners "
            + owners(r.set().owners()));
      }
      if (!failed.isEmpty()) {
        env().err().println("mtpbridge: set " + r.set().id() + " was saved, but these owners failed and their data is not in it: "
            + String.join("; ", failed) + " (see mtpbridge owners; fix the owner and back up again)");
        return FAILED;
      }
    }
    return OK;
  }

  static String owners(List<Manifest.OwnerState> owners) {
    List<String> parts = new ArrayList<>();
    for (Manifest.OwnerState o : owners) parts.add(o.id() + " " + (o.ok() ? "ok" : o.status()));
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  static String ownerStatus(SessionStatus.Owner o) {
    return o.id() + " " + o.status().label() + (o.error() == null || o.error().isEmpty() ? "" : " (" + o.error() + ")");
  }
}
