package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.protocol.OwnerInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** /Owners/&lt;id&gt;.txt: one read-only text per registered owner, generated on each read. */
final class OwnerTexts {
  private final BackupEngine engine;
  // The text the host was last told the size of, so GetObject sends exactly that many bytes even
  // if the owner's status changed in between.
  private final Map<String, byte[]> lastShown = new ConcurrentHashMap<>();

  OwnerTexts(BackupEngine engine) { this.engine = engine; }

  /** File names, one per owner. */
  List<String> names() {
    List<String> out = new ArrayList<>();
    for (OwnerInfo o : engine.owners()) out.add(o.id() + ".txt");
    return out;
  }

  /** The current text of {@code fileName}, or null when no owner has that name. */
  byte[] current(String fileName) {
    byte[] text = generate(fileName);
    if (text != null) lastShown.put(fileName, text);
    return text;
  }

  /** The text last reported (its size), for reading; falls back to the current one. */
  byte[] forReading(String fileName) {
    byte[] text = lastShown.get(fileName);
    return text != null ? text : current(fileName);
  }

  private byte[] generate(String fileName) {
    if (!fileName.endsWith(".txt")) return null;
    String id = fileName.substring(0, fileName.length() - 4);
    for (OwnerInfo o : engine.owners()) {
      if (!o.id().equals(id)) continue;
      String text = "id: " + o.id() + "\n"
          + "kind: " + (o.active() ? "active" : "passive") + "\n"
          + "status: " + o.status().label() + "\n"
          + "volumes: " + String.join(", ", o.volumes()) + "\n"
          + "incremental: " + o.supportsIncremental() + "\n"
          + "restore requires reboot: " + o.requiresReboot() + "\n"
          + "expected size: " + o.expectedSize() + "\n"
          + "last error: " + (o.lastError() == null ? "none" : o.lastError()) + "\n";
      return text.getBytes(StandardCharsets.UTF_8);
    }
    return null;
  }
}
