package io.mtpbridge.host.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mtpbridge.backup.protocol.OwnerInfo;
import io.mtpbridge.host.backup.BackupClient;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "owners", description = "List the device's data owners: id, kind, status, volumes, incremental support, last error.")
final class OwnersCommand extends BaseCommand {
  @Override
  public Integer call() throws IOException {
    try (Connection c = connect()) {
      BackupCommand.requireBackup(c);
      List<OwnerInfo> owners = new BackupClient(c.mtp).owners();
      if (json()) {
        JsonGenerator g = jsonOut();
        g.writeStartArray();
        for (OwnerInfo o : owners) {
          g.writeStartObject();
          g.writeStringField("id", o.id());
          g.writeStringField("kind", o.kind());
          g.writeStringField("status", o.status().label());
          g.writeArrayFieldStart("volumes");
          for (String v : o.volumes()) g.writeString(v);
          g.writeEndArray();
          g.writeBooleanField("incremental", o.supportsIncremental());
          g.writeBooleanField("requiresReboot", o.requiresReboot());
          g.writeNumberField("expectedSize", o.expectedSize());
          g.writeStringField("lastError", o.lastError());
          g.writeEndObject();
        }
        g.writeEndArray();
        endJson(g);
        return OK;
      }
      if (owners.isEmpty() && !quiet()) out().println("The device has no data owners registered.");
      for (OwnerInfo o : owners) {
        out().printf("%-32s %-8s %-14s volumes %-16s incremental %-3s%s%n", o.id(), o.kind(), o.status().label(),
            String.join(",", o.volumes()), o.supportsIncremental() ? "yes" : "no",
            o.lastError().isEmpty() ? "" : "  last error: " + o.lastError());
      }
    }
    return OK;
  }
}
