package io.mtpbridge.host.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.mtpbridge.host.files.Descent;
import io.mtpbridge.host.files.RemoteEntry;
import io.mtpbridge.host.files.RemoteFiles;
import java.io.IOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", description = "List a folder of the device (/ lists its storages). Folders end with /.")
final class LsCommand extends BaseCommand {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  @Option(names = "-l", description = "long listing: type, size in bytes, DateModified, name")
  boolean longListing;

  @Option(names = "-R", description = "list the folders inside too, recursively")
  boolean recursive;

  @Parameters(arity = "0..1", paramLabel = "/STORAGE/PATH", description = "what to list (default /)")
  String path = "/";

  private JsonGenerator g;
  private final Descent descent = new Descent();

  @Override
  public Integer call() throws IOException {
    try (Connection c = connect()) {
      RemoteFiles files = files(c);
      if (json()) {
        g = jsonOut();
        g.writeStartArray();
      }
      if (RemoteFiles.segments(path).isEmpty()) {
        listStorages(files);
      } else {
        RemoteEntry e = files.resolve(path);
        if (e.folder()) listFolder(files, e, recursive, false);
        else print(e, e.path());
      }
      if (g != null) {
        g.writeEndArray();
        endJson(g);
      }
    }
    return OK;
  }

  private void listStorages(RemoteFiles files) throws IOException {
    for (RemoteFiles.Storage s : files.storages()) {
      if (g != null) {
        g.writeStartObject();
        g.writeStringField("path", "/" + s.name());
        g.writeStringField("name", s.name());
        g.writeStringField("type", "storage");
        g.writeNumberField("capacity", s.info().maxCapacity());
        g.writeNumberField("free", s.info().freeSpaceInBytes());
        g.writeBooleanField("readOnly", s.info().accessCapability() != 0);
        g.writeEndObject();
      } else if (longListing) {
        out().printf(Locale.ROOT, "s  %15d free of %15d  %s/%s%n", s.info().freeSpaceInBytes(), s.info().maxCapacity(), VisibleText.of(s.name()),
            s.info().accessCapability() != 0 ? "  (read-only)" : "");
      } else {
        out().println(VisibleText.of(s.name()) + "/");
      }
    }
    if (recursive) {
      for (RemoteFiles.Storage s : files.storages()) listFolder(files, files.root(s), true, true);
    }
  }

  /** One folder at a time, depth first: only the folders on the way down are held. */
  private void listFolder(RemoteFiles files, RemoteEntry folder, boolean deep, boolean header) throws IOException {
    descent.enter(folder);
    List<RemoteEntry> children = files.children(folder);
    if (g == null && (deep || header)) {
      if (header) out().println();
      out().println(VisibleText.of(folder.path()) + ":");
    }
    for (RemoteEntry c : children) print(c, c.name());
    if (deep) {
      for (RemoteEntry c : children) {
        if (c.folder()) listFolder(files, c, true, true);
      }
    }
    descent.leave(folder);
  }

  private void print(RemoteEntry e, String shown) throws IOException {
    if (g != null) {
      g.writeStartObject();
      g.writeStringField("path", e.path());
      g.writeStringField("name", e.name());
      g.writeStringField("type", e.folder() ? "folder" : "file");
      g.writeNumberField("size", e.size());
      if (e.modified() != null) g.writeStringField("modified", e.modified().toString());
      else g.writeNullField("modified");
      g.writeEndObject();
      return;
    }
    String name = VisibleText.of(shown) + (e.folder() ? "/" : "");
    if (!longListing) {
      out().println(name);
      return;
    }
    String date = e.modified() == null ? "                " : DATE.format(e.modified().atZone(env().zone() == null ? ZoneId.systemDefault() : env().zone()));
    String size = e.folder() ? "-" : e.size() < 0 ? "?" : Long.toString(e.size());
    out().printf("%s  %15s  %s  %s%n", e.folder() ? "d" : "-", size, date, name);
  }
}
