package io.mtpbridge.backup.demo;

import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.BackupAgent;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The out-of-process demo owner, written on {@link BackupAgent}: a journal of named entries (one
 * file each) that supports incremental backup. Its snapshot lists every entry's size and mtime;
 * an increment carries the entries that are new or changed (P records) and the ones deleted since
 * (D records), ended by an E record so a cut-short stream is recognised. A restore builds the
 * whole new journal aside and swaps it in, so it is applied whole or not at all.
 */
public final class JournalOwner extends BackupAgent {
  public static final String OWNER_ID = "io.mtpbridge.demo.journal";
  private static final String SNAPSHOT_HEADER = "journal-snapshot 1";
  private static final int MAX_SNAPSHOT = 16 << 20;

  private final Path entries;
  private final Path restoreDir;

  public JournalOwner(Path directory) throws IOException {
    this.entries = Files.createDirectories(directory.resolve("entries"));
    this.restoreDir = directory.resolve(".restore");
  }

  public ActiveBackupClient connect(Path socket) throws IOException { return connect(socket, OWNER_ID); }

  public void put(String name, byte[] data) throws IOException {
    Path tmp = entries.resolve("." + name + ".tmp");
    Files.write(tmp, data);
    Files.move(tmp, entries.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  public void delete(String name) throws IOException { Files.deleteIfExists(entries.resolve(name)); }

  /** name -> {size, mtime ms} of every entry. */
  public TreeMap<String, long[]> list() throws IOException {
    TreeMap<String, long[]> m = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(entries)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.startsWith(".") || !Files.isRegularFile(p)) continue;
        m.put(n, new long[] {Files.size(p), Files.getLastModifiedTime(p).toMillis()});
      }
    }
    return m;
  }

  public Path entriesDirectory() { return entries; }

  @Override protected Path spoolDirectory() { return restoreDir.resolve("incoming"); }

  @Override protected long expectedSize(String volume) throws IOException {
    long n = 0;
    for (long[] e : list().values()) n += e[0];
    return n;
  }

  // ---------------------------------------------------------------- backup

  @Override protected void backup(String volume, InputStream previous, OutputStream data, OutputStream snapshot) throws IOException {
    TreeMap<String, long[]> before = previous == null ? null : parseSnapshot(previous);
    TreeMap<String, long[]> now = list();
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(data, 64 * 1024));
    if (before != null) {
      for (String name : before.keySet()) {
        if (!now.containsKey(name)) {
          out.writeByte('D');
          out.writeUTF(name);
        }
      }
    }
    for (Map.Entry<String, long[]> e : now.entrySet()) {
      long[] old = before == null ? null : before.get(e.getKey());
      long[] meta = e.getValue();
      if (old != null && old[0] == meta[0] && old[1] == meta[1]) continue;
      out.writeByte('P');
      out.writeUTF(e.getKey());
      out.writeLong(meta[0]);
      out.writeLong(meta[1]);
      // Entry files are read one at a time as the stream reaches them: nothing is held in memory.
      try (InputStream in = Files.newInputStream(entries.resolve(e.getKey()))) {
        long copied = copy(in, out, meta[0]);
        if (copied != meta[0]) throw new IOException("entry " + e.getKey() + " changed while it was backed up");
      }
    }
    out.writeByte('E');
    out.flush();
    StringBuilder snap = new StringBuilder(SNAPSHOT_HEADER).append('\n');
    for (Map.Entry<String, long[]> e : now.entrySet()) snap.append(e.getValue()[0]).append(' ').append(e.getValue()[1]).append(' ').append(e.getKey()).append('\n');
    snapshot.write(snap.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static long copy(InputStream in, OutputStream out, long max) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = max;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) break;
      out.write(buf, 0, n);
      left -= n;
    }
    return max - left;
  }

  private static TreeMap<String, long[]> parseSnapshot(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_SNAPSHOT + 1);
    if (bytes.length > MAX_SNAPSHOT) throw new IOException("journal snapshot larger than " + MAX_SNAPSHOT + " bytes");
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
    if (lines.length == 0 || !lines[0].equals(SNAPSHOT_HEADER)) throw new IOException("not a journal snapshot");
    TreeMap<String, long[]> m = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(" ", 3);
      if (f.length != 3) throw new IOException("bad journal snapshot line " + (i + 1));
      try {
        m.put(f[2], new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
      } catch (NumberFormatException e) {
        throw new IOException("bad journal snapshot line " + (i + 1));
      }
    }
    return m;
  }

  // ---------------------------------------------------------------- restore

  @Override protected void restore(String volume, List<RestorePart> chain) throws IOException {
    Path work = restoreDir.resolve("work");
    deleteTree(work);
    Files.createDirectories(work);
    try {
      if (!chain.get(0).isBase()) {
        // Increments only: they apply to the journal as it is.
        for (String name : list().keySet()) Files.copy(entries.resolve(name), work.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
      }
      for (RestorePart part : chain) {
        try (InputStream in = part.open()) {
          apply(in, work);
        }
      }
      Path old = restoreDir.resolve("old");
      deleteTree(old);
      Files.move(entries, old, StandardCopyOption.ATOMIC_MOVE);
      Files.move(work, entries, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(old);
    } finally {
      deleteTree(work);
    }
  }

  private static void apply(InputStream stream, Path work) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(stream))) {
      while (true) {
        int op = in.readUnsignedByte();
        if (op == 'E') return;
        String name = in.readUTF();
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) throw new IOException("bad entry name in stream");
        if (op == 'D') {
          Files.deleteIfExists(work.resolve(name));
        } else if (op == 'P') {
          long size = in.readLong();
          long mtime = in.readLong();
          Path target = work.resolve(name);
          try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target))) {
            if (copy(in, out, size) != size) throw new EOFException("stream ends inside entry " + name);
          }
          Files.setLastModifiedTime(target, FileTime.fromMillis(mtime));
        } else {
          throw new IOException("bad record type " + op);
        }
      }
    } catch (EOFException e) {
      throw new IOException("journal stream truncated (no end record)", e);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(Collections.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }

  @Override protected long checksum(String volume) throws IOException {
    CRC32 crc = new CRC32();
    for (String name : list().keySet()) {
      crc.update(name.getBytes(StandardCharsets.UTF_8));
      try (InputStream in = Files.newInputStream(entries.resolve(name))) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) crc.update(buf, 0, n);
      }
    }
    return crc.getValue();
  }
}
