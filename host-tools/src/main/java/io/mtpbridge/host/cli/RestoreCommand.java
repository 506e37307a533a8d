package io.mtpbridge.host.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mtpbridge.host.backup.BackupClient;
import io.mtpbridge.host.backup.HostBackup;
import io.mtpbridge.host.backup.HostBackup.OwnerOutcome;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.repo.StoredSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", description = "Restore a set (default the newest): its chain (the full set, then each"
    + " increment up to SET) is verified here first, then sent to the device in order and committed. Prints each"
    + " owner's result after the commit. Refuses a broken chain, and a set made on another device unless --from-device names it.")
final class RestoreCommand extends BaseCommand {
  @Mixin RepoOptions repoOptions;

  @Parameters(arity = "0..1", paramLabel = "SET", description = "a set id (or a unique prefix of it)")
  String set;

  @Option(names = "--owner", paramLabel = "ID", description = "restore only this owner (repeatable)")
  List<String> owners = new ArrayList<>();

  @Option(names = "--from-device", paramLabel = "SERIAL",
      description = "restore a set made on the device with this serial (e.g. an old phone's backup onto a new one)")
  String fromDevice;

  @Override
  public Integer call() throws IOException {
    try (Connection c = connect()) {
      BackupCommand.requireBackup(c);
      String serial = c.serial();
      BackupRepository repo = repoOptions.forSerial(env(), fromDevice != null ? fromDevice : serial);
      StoredSet target;
      if (set != null) {
        target = repo.find(set);
      } else {
        target = repo.newest().orElseThrow(() -> new CliException("no backup set in " + repo.folder() + " to restore (see mtpbridge history)"));
      }
      List<StoredSet> chain = repo.chain(target);
      for (StoredSet s : chain) {
        String from = s.record().serial();
        if (from.equals(serial)) continue;
        if (fromDevice == null || !fromDevice.equals(from)) {
          throw new CliException("set " + s.id() + " was made on the device with serial " + from + ", not on this one (" + serial
              + "): to restore it here on purpose, add --from-device " + from);
        }
      }
      HostBackup restore = new HostBackup(new BackupClient(c.mtp), env().cancellation(), new BackupProgress(progress()));
      HostBackup.RestoreResult r = restore.restore(chain, owners);
      List<String> failed = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      for (HostBackup.OwnerResult o : r.owners()) {
        if (o.outcome() == OwnerOutcome.FAILED) failed.add(o.id() + " (" + o.detail() + ")");
        else if (o.outcome() == OwnerOutcome.UNKNOWN) unknown.add(o.id());
      }
      if (json()) {
        JsonGenerator g = jsonOut();
        g.writeStartObject();
        g.writeStringField("set", target.id());
        g.writeArrayFieldStart("chain");
        for (StoredSet s : chain) g.writeString(s.id());
        g.writeEndArray();
        g.writeArrayFieldStart("owners");
        for (HostBackup.OwnerResult o : r.owners()) {
          g.writeStartObject();
          g.writeStringField("id", o.id());
          g.writeStringField("status", o.outcome().name().toLowerCase(Locale.ROOT));
          g.writeStringField("error", o.detail());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("failedAtCommit", r.failedOwners());
        g.writeEndObject();
        endJson(g);
      } else {
        for (HostBackup.OwnerResult o : r.owners()) {
          say(switch (o.outcome()) {
            case RESTORED -> "restored  " + o.id();
            case FAILED -> "FAILED    " + o.id() + " (" + o.detail() + ")";
            case UNKNOWN -> "UNKNOWN   " + o.id() + " (" + o.detail() + ")";
          });
        }
        say("Restored set " + target.id() + " (" + chain.size() + (chain.size() == 1 ? " archive" : " archives") + " in order) to " + c.name() + ".");
      }
      if (!failed.isEmpty() || !unknown.isEmpty() || r.failedOwners() > 0) {
        List<String> parts = new ArrayList<>();
        if (!failed.isEmpty()) parts.add(Math.max(failed.size(), r.failedOwners()) + " owner(s) failed: " + String.join("; ", failed));
        else if (r.failedOwners() > 0) parts.add(r.failedOwners() + " owner(s) failed when it completed (their data did not come back as backed up)");
        if (!unknown.isEmpty()) parts.add("no result could be read for " + String.join(", ", unknown));
        String what = String.join("; and ", parts);
        env().err().println("mtpbridge: the restore was committed, but " + what + " (see mtpbridge owners)");
        return FAILED;
      }
    }
    return OK;
  }
}
