package io.mtpbridge.host.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mtpbridge.host.backup.BackupClient;
import io.mtpbridge.host.files.RemoteFiles;
import io.mtpbridge.host.link.AttachedDevice;
import io.mtpbridge.host.link.DeviceSource;
import io.mtpbridge.host.usb.UsbDeviceBusyException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "devices", description = "List every MTP device: bus-address, VID:PID, manufacturer, model, serial,"
    + " storages, and whether it serves backups (mtpbridge.io/backup).")
final class DevicesCommand extends BaseCommand {
  /** What one device shows; {@code problem} is set when it could not be opened (busy, no access). */
  private record Row(AttachedDevice d, String manufacturer, String model, String serial, List<String> storages, boolean backup, String problem) {}

  @Override
  public Integer call() throws IOException {
    List<Row> rows = new ArrayList<>();
    try (DeviceSource source = env().devices().open()) {
      for (AttachedDevice d : source.devices()) {
        if (root.device != null && !Connection.matches(d, root.device)) continue;
        rows.add(inspect(source, d));
      }
    }
    if (json()) {
      JsonGenerator g = jsonOut();
      g.writeStartArray();
      for (Row r : rows) {
        g.writeStartObject();
        g.writeStringField("busAddress", r.d().busAddress());
        g.writeStringField("usbId", r.d().usbId());
        g.writeStringField("manufacturer", r.manufacturer());
        g.writeStringField("model", r.model());
        g.writeStringField("serial", r.serial());
        g.writeArrayFieldStart("storages");
        for (String s : r.storages()) g.writeString(s);
        g.writeEndArray();
        g.writeBooleanField("backup", r.backup());
        g.writeStringField("status", r.problem() == null ? "ok" : r.problem().startsWith("busy") ? "busy" : "error");
        if (r.problem() != null) g.writeStringField("error", r.problem());
        g.writeEndObject();
      }
      g.writeEndArray();
      endJson(g);
      return OK;
    }
    if (rows.isEmpty()) {
      if (!quiet()) out().println("No MTP device found. Plug one in (unlock it and choose file transfer / MTP), or attach one with usbip.");
      return OK;
    }
    for (Row r : rows) {
      String what = (r.manufacturer() + " " + r.model()).strip();
      out().printf("%s  %s  %s  serial %s%n", r.d().busAddress(), r.d().usbId(), what.isEmpty() ? "(unnamed)" : what,
          r.serial().isEmpty() ? "-" : r.serial());
      if (r.problem() != null) {
        out().println("    " + r.problem());
      } else {
        out().println("    storages: " + (r.storages().isEmpty() ? "none" : "/" + String.join(", /", r.storages()))
            + "   backup: " + (r.backup() ? "yes (mtpbridge.io/backup)" : "no"));
      }
    }
    return OK;
  }

  private Row inspect(DeviceSource source, AttachedDevice d) {
    try (Connection c = Connection.open(new KeepOpen(source), d)) {
      List<String> storages = new ArrayList<>();
      for (RemoteFiles.Storage s : files(c).storages()) storages.add(s.name());
      return new Row(d, c.info.manufacturer(), c.info.model(), c.serial(), storages, BackupClient.supportedBy(c.info), null);
    } catch (UsbDeviceBusyException e) {
      return new Row(d, d.manufacturer(), d.product(), d.serial(), List.of(), false, "busy: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      return new Row(d, d.manufacturer(), d.product(), d.serial(), List.of(), false, "cannot open: " + MtpBridge.Errors.describe(e));
    }
  }

  /** The shared source stays open while each device is inspected. */
  private record KeepOpen(DeviceSource inner) implements DeviceSource {
    @Override public List<AttachedDevice> devices() throws IOException { return inner.devices(); }

    @Override public void close() {}
  }
}
