package io.mtpbridge.backup.demo;

import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.ActiveBackupDataClient;
import io.mtpbridge.backup.client.ModeInfo;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The out-of-process demo owner: a journal of named entries (one file each) that supports
 * incremental backup. Its snapshot lists every entry's size and mtime; an increment carries the
 * entries that are new or changed (P records) and the ones deleted since (D records), ended by an
 * E record so a cut-short stream is recognised. Restored streams are kept aside and applied, in
 * order, on restoreComplete.
 */
public final class JournalOwner implements ActiveBackupDataClient {
  public static final String OWNER_ID = "io.mtpbridge.demo.journal";
  private static final String SNAPSHOT_HEADER = "journal-snapshot 1";

  private final Path entries;
  private final Path restoreDir;
  private ActiveBackupClient client;
  private TreeMap<String, long[]> previous;
  private InputStream backupStream;
  private ByteArrayInputStream snapshotOut;
  private ByteArrayOutputStream snapshotIn;
  private OutputStream restoreOut;
  private final List<Path> restoreStreams = new ArrayList<>();
  private boolean restoreHasBase;

  public JournalOwner(Path directory) throws IOException {
    this.entries = Files.createDirectories(directory.resolve("entries"));
    this.restoreDir = directory.resolve(".restore");
  }

  public void connect(Path socket) throws IOException {
    client = ActiveBackupClient.connect(socket, OWNER_ID, this, this::onMode);
  }

  public ActiveBackupClient client() { return client; }

  private void onMode(ModeInfo info) {
    // A snapshot belongs to the operation it was supplied for, never to a later one.
    previous = null;
    if (info.mode().isNormal() || !info.affectsMe()) return;
    try {
      client.confirmReady(ActiveBackupClient.READY);
    } catch (IOException e) {
      // engine gone
    }
  }

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

  // ---------------------------------------------------------------- backup

  @Override public void allSnapshotsSupplied() {}

  @Override public void receiveSnapshotData(String volume, ByteBuffer section, boolean last) throws IOException {
    if (snapshotIn == null) snapshotIn = new ByteArrayOutputStream();
    Channels.newChannel(snapshotIn).write(section);
    if (last) {
      previous = parseSnapshot(snapshotIn.toString(StandardCharsets.UTF_8));
      snapshotIn = null;
    }
  }

  private static TreeMap<String, long[]> parseSnapshot(String text) throws IOException {
    TreeMap<String, long[]> m = new TreeMap<>();
    String[] lines = text.split("\n");
    if (lines.length == 0 || !lines[0].equals(SNAPSHOT_HEADER)) throw new IOException("not a journal snapshot");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(" ", 3);
      if (f.length != 3) throw new IOException("bad journal snapshot line " + (i + 1));
      m.put(f[2], new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
    }
    return m;
  }

  @Override public long getExpectedDataSize(String volume) throws IOException {
    long n = 0;
    for (long[] e : list().values()) n += e[0];
    return n;
  }

  @Override public void initialiseGetBackupData(String volume) throws IOException {
    TreeMap<String, long[]> now = list();
    List<InputStream> parts = new ArrayList<>();
    List<String> puts = new ArrayList<>();
    for (Map.Entry<String, long[]> e : now.entrySet()) {
      long[] old = previous == null ? null : previous.get(e.getKey());
      if (old == null || old[0] != e.getValue()[0] || old[1] != e.getValue()[1]) puts.add(e.getKey());
    }
    ByteArrayOutputStream deletes = new ByteArrayOutputStream();
    if (previous != null) {
      DataOutputStream d = new DataOutputStream(deletes);
      for (String name : previous.keySet()) {
        if (!now.containsKey(name)) {
          d.writeByte('D');
          d.writeUTF(name);
        }
      }
    }
    parts.add(new ByteArrayInputStream(deletes.toByteArray()));
    StringBuilder snap = new StringBuilder(SNAPSHOT_HEADER).append('\n');
    for (Map.Entry<String, long[]> e : now.entrySet()) snap.append(e.getValue()[0]).append(' ').append(e.getValue()[1]).append(' ').append(e.getKey()).append('\n');
    snapshotOut = new ByteArrayInputStream(snap.toString().getBytes(StandardCharsets.UTF_8));
    Iterator<String> it = puts.iterator();
    // Entry files are opened one at a time as the stream reaches them: nothing is held in memory.
    Iterator<InputStream> lazy = new Iterator<>() {
      private boolean header = true;
      private String current;

      @Override public boolean hasNext() { return !header || it.hasNext(); }

      @Override public InputStream next() {
        try {
          if (header) {
            current = it.next();
            long[] meta = now.get(current);
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(h);
            d.writeByte('P');
            d.writeUTF(current);
            d.writeLong(meta[0]);
            d.writeLong(meta[1]);
            header = false;
            return new ByteArrayInputStream(h.toByteArray());
          }
          header = true;
          return new BufferedInputStream(Files.newInputStream(entries.resolve(current)));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
    parts.add(new SequenceInputStream(enumeration(lazy)));
    parts.add(new ByteArrayInputStream(new byte[] {'E'}));
    backupStream = new SequenceInputStream(Collections.enumeration(parts));
    previous = null;
  }

  /** The entry files as SequenceInputStream wants them, each opened only when it is reached. */
  private static java.util.Enumeration<InputStream> enumeration(Iterator<InputStream> lazy) {
    return new java.util.Enumeration<>() {
      @Override public boolean hasMoreElements() { return lazy.hasNext(); }
      @Override public InputStream nextElement() { return lazy.next(); }
    };
  }

  @Override public boolean getBackupDataSection(ByteBuffer buffer) throws IOException {
    int n = backupStream.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
    if (n < 0) {
      backupStream.close();
      backupStream = null;
      return true;
    }
    buffer.position(buffer.position() + n);
    return false;
  }

  @Override public boolean getSnapshotData(String volume, ByteBuffer buffer) {
    int n = snapshotOut.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
    if (n > 0) buffer.position(buffer.position() + n);
    return snapshotOut.available() == 0;
  }

  // ---------------------------------------------------------------- restore

  @Override public void initialiseRestoreBaseData(String volume) throws IOException {
    discardRestore();
    restoreHasBase = true;
    openRestoreStream();
  }

  @Override public void initialiseRestoreIncrementData(String volume) throws IOException { openRestoreStream(); }

  private void openRestoreStream() throws IOException {
    Files.createDirectories(restoreDir);
    Path p = restoreDir.resolve(restoreStreams.size() + ".stream");
    restoreStreams.add(p);
    restoreOut = new BufferedOutputStream(Files.newOutputStream(p));
  }

  @Override public void restoreBaseDataSection(ByteBuffer section, boolean finished) throws IOException { take(section, finished); }

  @Override public void restoreIncrementDataSection(ByteBuffer section, boolean finished) throws IOException { take(section, finished); }

  private void take(ByteBuffer section, boolean finished) throws IOException {
    if (restoreOut == null) throw new IOException("restore section without initialise");
    Channels.newChannel(restoreOut).write(section);
    if (finished) {
      restoreOut.close();
      restoreOut = null;
    }
  }

  @Override public void restoreComplete(String volume) throws IOException {
    Path work = restoreDir.resolve("work");
    deleteTree(work);
    Files.createDirectories(work);
    if (!restoreHasBase) {
      for (String name : list().keySet()) Files.copy(entries.resolve(name), work.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
    }
    for (Path stream : restoreStreams) apply(stream, work);
    Path old = restoreDir.resolve("old");
    deleteTree(old);
    Files.move(entries, old, StandardCopyOption.ATOMIC_MOVE);
    Files.move(work, entries, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(old);
    discardRestore();
  }

  private static void apply(Path stream, Path work) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(stream)))) {
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
            byte[] buf = new byte[65536];
            long left = size;
            while (left > 0) {
              int n = in.read(buf, 0, (int) Math.min(buf.length, left));
              if (n < 0) throw new EOFException("stream ends inside entry " + name);
              out.write(buf, 0, n);
              left -= n;
            }
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

  private void discardRestore() throws IOException {
    if (restoreOut != null) restoreOut.close();
    restoreOut = null;
    restoreStreams.clear();
    restoreHasBase = false;
    deleteTree(restoreDir);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(Collections.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }

  @Override public void terminateMultiStageOperation() {
    try {
      if (backupStream != null) backupStream.close();
      backupStream = null;
      previous = null;
      discardRestore();
    } catch (IOException ignored) {
      // best effort tidy-up
    }
  }

  @Override public long getDataChecksum(String volume) throws IOException {
    CRC32 crc = new CRC32();
    for (String name : list().keySet()) {
      crc.update(name.getBytes(StandardCharsets.UTF_8));
      crc.update(Files.readAllBytes(entries.resolve(name)));
    }
    return crc.getValue();
  }
}
