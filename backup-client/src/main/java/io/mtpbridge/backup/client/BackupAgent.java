package io.mtpbridge.backup.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The easy way to be an active data owner: write your data to a stream, read it back from
 * streams. The section protocol of {@link ActiveBackupDataClient} (thirteen calls) is done here.
 *
 * <pre>{@code
 * class Notes extends BackupAgent {
 *   protected void backup(String volume, InputStream previous, OutputStream data, OutputStream snapshot) throws IOException {
 *     ... // previous == null: write everything; else what changed since the state 'previous' describes
 *   }
 *   protected void restore(String volume, List<RestorePart> chain) throws IOException {
 *     ... // a base, then increments in order: apply them all, or nothing
 *   }
 * }
 * }</pre>
 *
 * <ul>
 * <li><b>Backup</b>: {@link #backup} runs on a thread of its own while the engine takes the data in
 *   sections; what it writes to {@code snapshot} is kept with the backup and given back as
 *   {@code previous} at the next incremental backup (only when the registration says
 *   {@code supports_incremental="true"}; otherwise {@code previous} is always null).</li>
 * <li><b>Restore</b>: the chain's streams are kept aside as they arrive (in
 *   {@link #spoolDirectory()}), and {@link #restore} is called once the host commits the restore
 *   session (restoreComplete): a restore that is aborted never reaches it. Apply all or nothing
 *   (write aside, then rename), and throw if you cannot: the engine then reports the restore of
 *   this owner failed.</li>
 * <li><b>Readiness</b>: when a backup or restore that includes this owner starts, {@link #prepare}
 *   runs (quiesce: finish writes, hold new ones) and readiness is confirmed when it returns (an
 *   exception answers "not ready"); {@link #resume} runs when the device is back to normal.</li>
 * <li>Optional: {@link #expectedSize} (progress only) and {@link #checksum} (compared after a
 *   restore; without one there is nothing to compare, which is no failure).</li>
 * </ul>
 * Calls arrive one at a time; only {@link #terminateMultiStageOperation()} may come from another
 * thread, and it stops a running {@link #backup} (its next write throws) and drops kept data.
 */
public abstract class BackupAgent implements ActiveBackupDataClient {
  private static final System.Logger LOG = System.getLogger(BackupAgent.class.getName());

  /** One stream of a restore chain: the base, or an increment on what came before it. */
  public static final class RestorePart {
    private final boolean base;
    private final Spill data;

    RestorePart(boolean base, Spill data) {
      this.base = base;
      this.data = data;
    }

    /** True for a base (everything), false for an increment. */
    public boolean isBase() { return base; }

    /** The stream's bytes, exactly as {@link #backup} wrote them. */
    public InputStream open() throws IOException { return data.open(); }

    public long size() { return data.size(); }
  }

  private volatile ActiveBackupClient client;
  // guarded by this
  private final Map<String, Spill> snapshotsIn = new HashMap<>();
  private final Map<String, Spill> previousSnapshots = new HashMap<>();
  private SectionPipe pipe;
  private Thread producer;
  private Spill newSnapshot;
  private InputStream snapshotOut;
  private final Map<String, List<RestorePart>> chains = new HashMap<>();
  private Spill receiving;
  private boolean receivingBase;
  private String receivingVolume;

  // ---------------------------------------------------------------- what an owner writes

  /**
   * Writes {@code volume}'s data to {@code data}: everything when {@code previous} is null, else
   * what changed since the state {@code previous} describes (the snapshot this method wrote last
   * time). Writes the state now to {@code snapshot}. Do not close the streams.
   */
  protected abstract void backup(String volume, InputStream previous, OutputStream data, OutputStream snapshot) throws Exception;

  /** Applies {@code chain} (a base, then increments in order; or increments only) to {@code volume}, all or nothing. */
  protected abstract void restore(String volume, List<RestorePart> chain) throws Exception;

  /** A backup or restore including this owner starts: quiesce. Readiness is confirmed when this returns. */
  protected void prepare(ModeInfo mode) throws Exception {}

  /** The device is back to normal: resume what {@link #prepare} held. */
  protected void resume() {}

  /** A size estimate of {@code volume}'s data, for progress only (0: unknown). */
  protected long expectedSize(String volume) throws Exception { return 0; }

  /**
   * A checksum of {@code volume}'s data, taken after each backup and compared after a restore.
   * The default keeps none.
   */
  protected long checksum(String volume) throws Exception { throw new UnsupportedOperationException("no checksum"); }

  /** Where restore streams wait for the commit (default: the JVM's temporary folder). */
  protected Path spoolDirectory() { return Path.of(System.getProperty("java.io.tmpdir")); }

  // ---------------------------------------------------------------- connecting

  /** Connects to the engine's socket as {@code ownerId} (registered for this process's uid). */
  public final ActiveBackupClient connect(Path socket, String ownerId) throws IOException {
    client = ActiveBackupClient.connect(socket, ownerId, this, this::modeChanged);
    return client;
  }

  /** Connects to an engine in this JVM. */
  public final ActiveBackupClient connect(InProcessEngine engine, String ownerId) {
    client = ActiveBackupClient.connect(engine, ownerId, this, this::modeChanged);
    return client;
  }

  /** The connection, once connected. */
  public final ActiveBackupClient client() { return client; }

  private void modeChanged(ModeInfo info, Readiness readiness) {
    synchronized (this) {
      // A snapshot belongs to the operation it was supplied for, never to a later one.
      for (Spill s : previousSnapshots.values()) s.delete();
      previousSnapshots.clear();
    }
    if (info.mode().isNormal()) {
      resume();
      return;
    }
    if (!info.affectsMe()) return;
    try {
      prepare(info);
      readiness.ready();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "not ready for " + info.mode() + ": " + e);
      readiness.notReady(1);
    }
  }

  // ---------------------------------------------------------------- the section protocol

  @Override public final void allSnapshotsSupplied() {}

  @Override public final synchronized void receiveSnapshotData(String volume, ByteBuffer section, boolean last) throws IOException {
    Spill s = snapshotsIn.computeIfAbsent(volume, v -> new Spill(spoolDirectory()));
    write(s, section);
    if (last) {
      s.close();
      snapshotsIn.remove(volume);
      Spill old = previousSnapshots.put(volume, s);
      if (old != null) old.delete();
    }
  }

  @Override public final long getExpectedDataSize(String volume) throws Exception { return expectedSize(volume); }

  @Override public final synchronized void initialiseGetBackupData(String volume) throws IOException {
    stopProducer();
    SectionPipe p = new SectionPipe();
    Spill snap = new Spill(spoolDirectory());
    Spill prev = previousSnapshots.remove(volume);
    pipe = p;
    newSnapshot = snap;
    snapshotOut = null;
    producer = new Thread(() -> {
      try (InputStream previous = prev == null ? null : prev.open()) {
        backup(volume, previous, p, snap);
        snap.close();
        p.finish();
      } catch (Throwable t) {
        p.fail(t);
      } finally {
        if (prev != null) prev.delete();
      }
    }, "backup-agent-" + volume);
    producer.setDaemon(true);
    producer.start();
  }

  @Override public final boolean getBackupDataSection(ByteBuffer buffer) throws IOException {
    SectionPipe p;
    synchronized (this) {
      p = pipe;
    }
    if (p == null) throw new IOException("backup data asked for before initialiseGetBackupData");
    boolean done = p.read(buffer);
    if (done) {
      synchronized (this) {
        pipe = null;
        producer = null;
      }
    }
    return done;
  }

  @Override public final synchronized boolean getSnapshotData(String volume, ByteBuffer buffer) throws IOException {
    if (newSnapshot == null) throw new IOException("snapshot asked for before the backup data");
    if (snapshotOut == null) snapshotOut = newSnapshot.open();
    byte[] b = new byte[buffer.remaining()];
    int n = snapshotOut.readNBytes(b, 0, b.length);
    buffer.put(b, 0, n);
    if (n < b.length) {
      snapshotOut.close();
      snapshotOut = null;
      newSnapshot.delete();
      newSnapshot = null;
      return true;
    }
    return false;
  }

  @Override public final synchronized void initialiseRestoreBaseData(String volume) throws IOException {
    // A base replaces everything before it in the chain.
    dropChain(volume);
    startPart(volume, true);
  }

  @Override public final synchronized void initialiseRestoreIncrementData(String volume) throws IOException {
    startPart(volume, false);
  }

  private void startPart(String volume, boolean base) throws IOException {
    if (receiving != null) receiving.delete();
    receiving = new Spill(spoolDirectory());
    receivingBase = base;
    receivingVolume = volume;
  }

  @Override public final synchronized void restoreBaseDataSection(ByteBuffer section, boolean finished) throws IOException {
    take(section, finished);
  }

  @Override public final synchronized void restoreIncrementDataSection(ByteBuffer section, boolean finished) throws IOException {
    take(section, finished);
  }

  private void take(ByteBuffer section, boolean finished) throws IOException {
    if (receiving == null) throw new IOException("restore data before its initialise call");
    write(receiving, section);
    if (finished) {
      receiving.close();
      chains.computeIfAbsent(receivingVolume, v -> new ArrayList<>()).add(new RestorePart(receivingBase, receiving));
      receiving = null;
    }
  }

  @Override public final void restoreComplete(String volume) throws Exception {
    List<RestorePart> chain;
    synchronized (this) {
      chain = chains.remove(volume);
    }
    if (chain == null) return;
    try {
      restore(volume, List.copyOf(chain));
    } finally {
      for (RestorePart p : chain) p.data.delete();
    }
  }

  @Override public final synchronized void terminateMultiStageOperation() {
    stopProducer();
    if (newSnapshot != null) newSnapshot.delete();
    newSnapshot = null;
    if (receiving != null) receiving.delete();
    receiving = null;
    for (String v : new ArrayList<>(chains.keySet())) dropChain(v);
    for (Spill s : snapshotsIn.values()) s.delete();
    snapshotsIn.clear();
  }

  @Override public final long getDataChecksum(String volume) throws Exception { return checksum(volume); }

  private void stopProducer() {
    if (pipe != null) pipe.cancel();
    if (producer != null) producer.interrupt();
    pipe = null;
    producer = null;
  }

  private void dropChain(String volume) {
    List<RestorePart> old = chains.remove(volume);
    if (old != null) for (RestorePart p : old) p.data.delete();
  }

  private static void write(Spill s, ByteBuffer section) throws IOException {
    if (section.hasArray()) {
      s.write(section.array(), section.arrayOffset() + section.position(), section.remaining());
      section.position(section.limit());
    } else {
      byte[] b = new byte[section.remaining()];
      section.get(b);
      s.write(b, 0, b.length);
    }
  }
}
