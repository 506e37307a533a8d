package io.mtpbridge.host.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.repo.StoredSet;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "history", description = "The backup sets of this device, oldest first: id, parent, created, full or"
    + " incremental, owners ok/failed, size. With --json: an array of objects (id, parent, created, type, owners, bytes, ...).")
final class HistoryCommand extends BaseCommand {
  @Mixin RepoOptions repoOptions;

  @Override
  public Integer call() throws IOException {
    BackupRepository repo = repoOptions.offline(env(), root.device);
    List<StoredSet> sets = repo.sets();
    if (json()) {
      JsonGenerator g = jsonOut();
      g.writeStartArray();
      for (StoredSet s : sets) writeSet(g, s);
      g.writeEndArray();
      endJson(g);
    } else {
      if (sets.isEmpty() && !quiet()) out().println("No backup sets in " + repo.folder() + " yet (make one with mtpbridge backup).");
      for (StoredSet s : sets) {
        // ids, dates and owner states come from manifests a hand or a device wrote: a newline in one
        // made one set look like two lines of history (the output guard keeps newlines)
        if (quiet()) {
          out().println(VisibleText.of(s.id()));
          continue;
        }
        out().printf("%s  %-11s  %s  parent %-36s  %9s  owners %s%n", VisibleText.of(s.id()), s.type(), VisibleText.of(s.created()),
            s.parent() == null ? "-" : VisibleText.of(s.parent()), ProgressBar.bytes(s.record().bytes()),
            VisibleText.of(BackupCommand.owners(s.owners())));
      }
    }
    for (String p : repo.problems()) env().err().println("mtpbridge: not a readable set in " + repo.folder() + ": " + VisibleText.of(p));
    return OK;
  }

  static void writeSet(JsonGenerator g, StoredSet s) throws IOException {
    writeSet(g, s, -1);
  }

  /** A set as an object; {@code seconds} (the backup that just made it: from opening the session to the set saved) when not negative. */
  static void writeSet(JsonGenerator g, StoredSet s, double seconds) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", s.id());
    if (s.parent() == null) g.writeNullField("parent");
    else g.writeStringField("parent", s.parent());
    g.writeStringField("created", s.created());
    g.writeStringField("type", s.type());
    g.writeArrayFieldStart("owners");
    for (Manifest.OwnerState o : s.owners()) {
      g.writeStartObject();
      g.writeStringField("id", o.id());
      g.writeStringField("kind", o.kind());
      g.writeStringField("status", o.ok() ? "ok" : "failed");
      g.writeStringField("detail", o.status());
      g.writeStringField("error", o.error() == null ? "" : o.error());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("bytes", s.record().bytes());
    g.writeStringField("device", s.record().serial());
    g.writeStringField("mode", s.mode());
    g.writeStringField("path", s.folder().toString());
    if (seconds >= 0) g.writeNumberField("seconds", seconds);
    g.writeEndObject();
  }
}
