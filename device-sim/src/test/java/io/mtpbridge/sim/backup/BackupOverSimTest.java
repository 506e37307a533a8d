package io.mtpbridge.sim.backup;

import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.backup.demo.JournalOwner;
import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.engine.EngineConfig;
import io.mtpbridge.backup.mtp.BackupBridge;
import io.mtpbridge.backup.registration.RegistrationLoader;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.core.transport.Response;
import io.mtpbridge.device.MtpDevice;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.host.Transaction;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.sim.udc.VirtualHostPort;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup vendor extension (0x9A01..0x9A07) driven through the real simulated device: mtpd's
 * responder on the virtual USB controller, the backup bridge installed as an MtpDevice.Extension,
 * and host-tools' initiator on the in-JVM link, every archive streamed with 0xFFFFFFFF lengths.
 * Owners: a passive notes folder, an in-process active owner ({@link BlobOwner}) and the demo
 * journal owner over the engine's Unix socket (incremental).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackupOverSimTest {
  private static final int GET_OWNERS = 0x9A01, OPEN = 0x9A02, SUPPLY = 0x9A03, STATUS = 0x9A04,
      READ = 0x9A05, WRITE = 0x9A06, CLOSE = 0x9A07;
  private static final int OK = 0x2001, ARCHIVE_INVALID = 0xAA06;
  private static final String NOTES = "org.example.notes", BLOB = "org.example.blob";
  /** Owners are registered for the uid the test runs as, so the socket owner passes the uid check as any user. */
  private static final long MY_UID = new com.sun.security.auth.module.UnixSystem().getUid();

  @TempDir Path tmp;
  Path internal;
  BackupEngine engine;
  BlobOwner blob;
  JournalOwner journal;
  SimulatedDevice sim;
  VirtualHostPort port;
  MtpInitiator host;
  DataPhaseLog log;

  private void start(long blobTimeoutMs) throws IOException {
    internal = Files.createDirectories(tmp.resolve("volumes/internal"));
    Path regs = Files.createDirectories(tmp.resolve("registrations"));
    RegistrationLoader.install(regs, "notes.xml", "<backup_registration owner=\"" + NOTES + "\" uid=\"" + MY_UID + "\">\n"
        + "  <passive_backup delete_before_restore=\"true\">\n"
        + "    <volume name=\"internal\"><include_directory name=\"notes\"/></volume>\n"
        + "  </passive_backup>\n</backup_registration>\n");
    RegistrationLoader.install(regs, "blob.xml", active(BLOB, false, blobTimeoutMs));
    RegistrationLoader.install(regs, "journal.xml", active(JournalOwner.OWNER_ID, true, 5000));
    Path socket = tmp.resolve("engine.sock");
    engine = BackupEngine.start(new EngineConfig(regs, Map.of("internal", internal), socket,
        tmp.resolve("staging"), 1L << 30, Duration.ofSeconds(5), "sim-test"));
    Files.createDirectories(internal.resolve("notes/sub"));
    Files.writeString(internal.resolve("notes/a.txt"), "alpha");
    Files.writeString(internal.resolve("notes/sub/b.txt"), "bravo");
    blob = new BlobOwner(BLOB, tmp.resolve("blob"));
    // bigger than the USB transport's 128 KiB buffer, so the archive is more than one transfer and
    // goes out as 0xFFFFFFFF (an unknown-length phase that fits one buffer gets its exact length)
    Files.write(blob.file, random(256 * 1024, 1));
    blob.connect(engine);
    journal = new JournalOwner(tmp.resolve("journal"));
    journal.put("e1", bytes("one"));
    journal.connect(socket);

    Path storageDir = Files.createDirectories(tmp.resolve("storage"));
    MtpdOptions options = new MtpdOptions(null, List.of(new StorageSpec("Internal", storageDir, false)),
        "MTP Bridge", "Simulated device", "SIM-BACKUP-1", "0.1.0", null, tmp.resolve("friendly-name"), "info");
    BackupBridge bridge = new BackupBridge(engine);
    MtpDevice.Extension extension = b -> bridge.install(b);
    sim = SimulatedDevice.start(options, List.of(new FileSystemStorage("Internal", storageDir, false)), UsbSpeed.HIGH,
        UsbDeviceIdentity.DEFAULT_VENDOR_ID, UsbDeviceIdentity.DEFAULT_PRODUCT_ID, List.of(extension));
    port = sim.hostPort();
    connect();
  }

  private static String active(String id, boolean incremental, long timeoutMs) {
    return "<backup_registration owner=\"" + id + "\" uid=\"" + MY_UID + "\">\n"
        + "  <active_backup supports_incremental=\"" + incremental + "\" callback_timeout_ms=\"" + timeoutMs + "\">\n"
        + "    <volume name=\"internal\"/>\n  </active_backup>\n</backup_registration>\n";
  }

  private void connect() throws IOException {
    port.plugInAndConfigure();
    log = new DataPhaseLog(port);
    host = new MtpInitiator(log, 10_000, MtpInitiator.DEFAULT_TRANSFER_BUFFER);
    host.openSession(1);
  }

  @AfterEach void tearDown() throws Exception {
    if (blob != null) blob.release();
    if (port != null) port.unplug();
    if (sim != null) sim.close();
    if (journal != null && journal.client() != null) journal.client().close();
    if (blob != null) blob.close();
    if (engine != null) engine.close();
  }

  // ---- the host side: the vendor operations over the initiator's generic transactions --------

  private static byte[] scope(List<String> owners) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(le32(owners.size()));
    for (String o : owners) b.write(MtpInitiator.ptpString(o));
    b.write(le32(0)); // all volumes
    return b.toByteArray();
  }

  private static byte[] le32(int v) { return ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array(); }

  /** OpenBackupSession; mode 1 backup / 2 restore, scope 1 full / 2 partial, increment 1 base / 2 increment. */
  private int open(int mode, int scope, int increment, List<String> owners) throws IOException {
    Transaction t = host.begin(OPEN, mode, scope, increment);
    byte[] s = scope(owners);
    t.sendData(Channels.newChannel(new ByteArrayInputStream(s)), s.length);
    Response r = t.response();
    assertEquals(OK, r.code(), "OpenBackupSession");
    return r.param(0);
  }

  private Response close(int id, int outcome) throws IOException {
    return host.begin(CLOSE, id, outcome).response();
  }

  /** ReadBackupArchive into a sink; returns its response. */
  private Response read(int id, WritableByteChannel sink) throws IOException {
    Transaction t = host.begin(READ, id);
    t.receiveData(sink);
    return t.response();
  }

  /** WriteRestoreArchive (or SupplySnapshots) streamed with an unknown length (0xFFFFFFFF). */
  private Response stream(int op, int id, ReadableByteChannel source) throws IOException {
    Transaction t = host.begin(op, id);
    t.sendData(source, -1);
    return t.response();
  }

  private byte[] backup(int scope, int increment, List<String> owners, byte[] previous) throws IOException {
    int id = open(1, scope, increment, owners);
    if (previous != null) assertEquals(OK, stream(SUPPLY, id, in(previous)).code(), "SupplySnapshots");
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    assertEquals(OK, read(id, Channels.newChannel(sink)).code(), "ReadBackupArchive");
    Response c = close(id, 1);
    assertEquals(OK, c.code());
    assertEquals(0, c.param(0), "no owner failed");
    return sink.toByteArray();
  }

  private void restore(byte[]... archives) throws IOException {
    int id = open(2, 1, 1, List.of());
    for (byte[] a : archives) assertEquals(OK, stream(WRITE, id, in(a)).code(), "WriteRestoreArchive");
    Response c = close(id, 1);
    assertEquals(OK, c.code());
    assertEquals(0, c.param(0), "no owner failed at completion");
  }

  private static ReadableByteChannel in(byte[] b) { return Channels.newChannel(new ByteArrayInputStream(b)); }

  // ---- device-side state -----------------------------------------------------------------------

  /** Notes folder, the blob owner's bytes, the journal's entries: everything an owner holds. */
  private List<Object> state() throws IOException {
    return List.of(tree(internal.resolve("notes")), Arrays.toString(sha(blob.content())), tree(journal.entriesDirectory()));
  }

  private static TreeMap<String, String> tree(Path dir) throws IOException {
    TreeMap<String, String> m = new TreeMap<>();
    if (!Files.exists(dir)) return m;
    List<Path> files = new ArrayList<>();
    try (Stream<Path> w = Files.walk(dir)) {
      w.filter(Files::isRegularFile).forEach(files::add);
    }
    for (Path p : files) m.put(dir.relativize(p).toString(), Arrays.toString(sha(Files.readAllBytes(p))));
    return m;
  }

  private static byte[] sha(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static Map<String, byte[]> entries(byte[] tar) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    try (TarArchiveInputStream t = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = t.getNextEntry()) != null) m.put(e.getName(), t.readAllBytes());
    }
    return m;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  private static void until(BooleanSupplier c, String what) throws InterruptedException {
    long end = System.currentTimeMillis() + 60_000;
    while (!c.getAsBoolean()) {
      if (System.currentTimeMillis() > end) throw new AssertionError(what + " within 60 s");
      Thread.sleep(10);
    }
  }

  private void changeEverything() throws Exception {
    Files.writeString(internal.resolve("notes/a.txt"), "changed");
    Files.deleteIfExists(internal.resolve("notes/sub/b.txt"));
    Files.writeString(internal.resolve("notes/new.txt"), "not backed up");
    Files.write(blob.file, random(1000, 99));
    journal.delete("e1");
    journal.put("x", bytes("stray"));
  }

  // ---- scenarios ---------------------------------------------------------------------------

  @Test void fullBackupThenRestoreToTheExactEarlierState() throws Exception {
    start(5000);
    byte[] owners = host.receiveDataset(GET_OWNERS);
    assertEquals(3, ByteBuffer.wrap(owners).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(), "GetBackupOwners lists the three owners");
    List<Object> before = state();
    byte[] tar = backup(1, 1, List.of(), null);
    Map<String, byte[]> e = entries(tar);
    assertArrayEquals(bytes("alpha"), e.get("owners/" + NOTES + "/internal/files/notes/a.txt"));
    assertArrayEquals(blob.content(), e.get("owners/" + BLOB + "/internal/active.base"));
    assertTrue(e.containsKey("owners/" + JournalOwner.OWNER_ID + "/internal/active.base"), e.keySet().toString());
    assertTrue(e.containsKey("manifest.json"));

    changeEverything();
    assertNotEquals(before, state());
    restore(tar);
    assertEquals(before, state(), "every owner back to the backed-up state");
    assertFalse(blob.restoreLeftovers());
    assertEquals(List.of(new DataPhaseLog.Header(false, READ, 0xFFFFFFFFL)), log.headers(READ), "the archive streamed out with length 0xFFFFFFFF");
    assertEquals(List.of(new DataPhaseLog.Header(true, WRITE, 0xFFFFFFFFL)), log.headers(WRITE), "the archive streamed in with length 0xFFFFFFFF");
  }

  @Test void partialBackupOfOneOwner() throws Exception {
    start(5000);
    List<Object> before = state();
    byte[] tar = backup(2, 1, List.of(BLOB), null);
    Map<String, byte[]> e = entries(tar);
    for (String name : e.keySet()) {
      assertTrue(name.equals("manifest.json") || name.startsWith("owners/" + BLOB + "/"), "only the blob owner's streams: " + name);
    }
    assertArrayEquals(blob.content(), e.get("owners/" + BLOB + "/internal/active.base"));
    assertEquals(before, state(), "a backup changes nothing");
    List<Object> notesAndJournalUnchanged = List.of(before.get(0), before.get(2));

    Files.write(blob.file, random(5000, 7));
    int id = open(2, 2, 1, List.of(BLOB));
    assertEquals(OK, stream(WRITE, id, in(tar)).code());
    assertEquals(OK, close(id, 1).code());
    List<Object> after = state();
    assertEquals(before.get(1), after.get(1), "the blob owner restored");
    assertEquals(notesAndJournalUnchanged, List.of(after.get(0), after.get(2)), "the others untouched");
  }

  @Test void incrementalChainRestoresEachExactState() throws Exception {
    start(5000);
    List<Object> s0 = state();
    byte[] base = backup(1, 1, List.of(), null);

    Files.writeString(internal.resolve("notes/a.txt"), "alpha 2");
    Files.writeString(internal.resolve("notes/c.txt"), "charlie");
    journal.put("e2", bytes("two"));
    Files.write(blob.file, random(3000, 2));
    List<Object> s1 = state();
    byte[] inc1 = backup(1, 2, List.of(), base);
    Map<String, byte[]> e1 = entries(inc1);
    assertFalse(e1.containsKey("owners/" + NOTES + "/internal/files/notes/sub/b.txt"), "unchanged passive file left out");
    assertTrue(e1.containsKey("owners/" + JournalOwner.OWNER_ID + "/internal/active.increment"), e1.keySet().toString());

    Files.delete(internal.resolve("notes/sub/b.txt"));
    Files.writeString(internal.resolve("notes/c.txt"), "charlie 2");
    journal.delete("e1");
    journal.put("e2", bytes("two, changed"));
    List<Object> s2 = state();
    byte[] inc2 = backup(1, 2, List.of(), inc1);
    assertEquals(2, log.headers(SUPPLY).stream().filter(h -> h.toDevice() && h.length() == 0xFFFFFFFFL).count(), "snapshots streamed in");

    changeEverything();
    restore(base);
    assertEquals(s0, state(), "base restored");
    changeEverything();
    restore(base, inc1);
    assertEquals(s1, state(), "base + first increment restored");
    changeEverything();
    restore(base, inc1, inc2);
    assertEquals(s2, state(), "base + both increments restored (changes and deletions)");
  }

  @Test void corruptAndTruncatedArchivesRestoreNothing() throws Exception {
    start(5000);
    byte[] tar = backup(1, 1, List.of(), null);
    changeEverything();
    List<Object> changed = state();
    byte[] corrupt = tar.clone();
    int at = indexOf(corrupt, bytes("alpha"));
    corrupt[at] = 'A';
    byte[] truncated = Arrays.copyOf(tar, indexOf(tar, bytes("\"owners\"")));
    for (byte[] bad : List.of(corrupt, truncated)) {
      int id = open(2, 1, 1, List.of());
      assertEquals(ARCHIVE_INVALID, stream(WRITE, id, in(bad)).code(), "ArchiveInvalid");
      assertTrue(host.receiveDataset(STATUS, id).length > 0, "GetSessionStatus still answers");
      assertEquals(OK, close(id, 1).code());
      assertEquals(changed, state(), "nothing restored");
      assertFalse(blob.restoreLeftovers());
    }
  }

  @Test void unplugMidBackupAbortsAndTheNextHostBacksUp() throws Exception {
    start(5000);
    Files.write(blob.file, random(2 * 1024 * 1024, 3));
    Files.write(internal.resolve("notes/big.bin"), random(2 * 1024 * 1024, 4));
    List<Object> before = state();
    int id = open(1, 1, 1, List.of());
    long[] got = {0};
    WritableByteChannel unplugging = new WritableByteChannel() {
      boolean open = true;
      @Override public int write(ByteBuffer src) {
        int n = src.remaining();
        src.position(src.limit());
        got[0] += n;
        // Pull the cable once the in-process owner is inside its multi-stage operation.
        if (blob.backupsStarted.get() > 0) port.unplug();
        return n;
      }
      @Override public boolean isOpen() { return open; }
      @Override public void close() { open = false; }
    };
    assertThrows(IOException.class, () -> read(id, unplugging), "the transfer dies with the cable");
    until(() -> engine.mode().isNormal(), "session aborted, mode back to normal");
    until(() -> blob.terminations.get() == 1, "the owner got terminateMultiStageOperation");
    assertTrue(got[0] > 0 && got[0] < 4 * 1024 * 1024, "cut mid-archive after " + got[0] + " bytes");
    assertEquals(before, state(), "a backup changes nothing, even cut short");

    connect();
    assertEquals(0x201D, host.begin(STATUS, id).response().code(), "the aborted session died with the MTP session");
    byte[] tar = backup(1, 1, List.of(), null);
    assertArrayEquals(blob.content(), entries(tar).get("owners/" + BLOB + "/internal/active.base"), "the next host backs up");
  }

  @Test void unplugMidRestoreLeavesNothingHalfRestored() throws Exception {
    start(5000);
    Files.write(internal.resolve("notes/big.bin"), random(3 * 1024 * 1024, 5));
    List<Object> s0 = state();
    byte[] base = backup(1, 1, List.of(), null);
    Files.writeString(internal.resolve("notes/a.txt"), "alpha 2");
    Files.write(blob.file, random(3000, 6));
    Files.write(internal.resolve("notes/big.bin"), random(3 * 1024 * 1024, 9));
    journal.put("e2", bytes("two"));
    byte[] inc = backup(1, 2, List.of(), base);
    assertTrue(inc.length > 3 * 1024 * 1024, "the increment carries the changed big file");

    // Only contents change, so the completed base archive alone gives exactly state s0's files.
    Files.writeString(internal.resolve("notes/a.txt"), "local edit");
    Files.write(internal.resolve("notes/big.bin"), random(3 * 1024 * 1024, 10));
    Files.write(blob.file, random(777, 8));
    List<Object> local = state();
    int id = open(2, 1, 1, List.of());
    assertEquals(OK, stream(WRITE, id, in(base)).code(), "the base archive is in");
    int cutAt = inc.length / 2;
    ReadableByteChannel cutting = new ReadableByteChannel() {
      int pos = 0;
      @Override public int read(ByteBuffer dst) throws IOException {
        if (pos >= cutAt) {
          port.unplug();
          throw new IOException("cable pulled");
        }
        int n = Math.min(dst.remaining(), Math.min(cutAt - pos, 4096));
        dst.put(inc, pos, n);
        pos += n;
        return n;
      }
      @Override public boolean isOpen() { return true; }
      @Override public void close() {}
    };
    assertThrows(IOException.class, () -> stream(WRITE, id, cutting));
    assertEquals(List.of(new DataPhaseLog.Header(true, WRITE, 0xFFFFFFFFL), new DataPhaseLog.Header(true, WRITE, 0xFFFFFFFFL)),
        log.headers(WRITE), "both archives went out as streamed data phases (the second cut after " + cutAt + " bytes)");
    until(() -> engine.mode().isNormal(), "session aborted, mode back to normal");
    until(() -> blob.terminations.get() == 1, "the owner holding restore data got terminateMultiStageOperation");
    assertFalse(blob.restoreLeftovers(), "the owner dropped its half restore");
    List<Object> after = state();
    assertEquals(local.get(1), after.get(1), "the active owner kept its data: restoreComplete never came");
    assertEquals(local.get(2), after.get(2), "the journal kept its data");
    // A restore session applies nothing before its commit: the completed base archive is not
    // applied on its own either (issue 9: a restore is atomic per session).
    assertEquals(local.get(0), after.get(0), "passive files: as they were, nothing of the aborted session applied");
    try (Stream<Path> w = Files.walk(internal)) {
      assertEquals(List.of(), w.filter(p -> p.getFileName().toString().startsWith(".")).toList(), "no temporary files");
    }

    connect();
    List<Object> now = state();
    byte[] tar = backup(1, 1, List.of(), null);
    changeEverything();
    restore(tar);
    assertEquals(now, state(), "the next host's session runs a full backup and restore");
  }

  @Test void hangingOwnerFailsWhileTheOthersAreArchived() throws Exception {
    start(700);
    blob.hang = true;
    List<Object> before = state();
    int id = open(1, 1, 1, List.of());
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    assertEquals(OK, read(id, Channels.newChannel(sink)).code());
    assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "the watchdog, not the hang, ended the call");
    assertTrue(host.receiveDataset(STATUS, id).length > 0, "GetSessionStatus answers");
    Response c = close(id, 1);
    assertEquals(OK, c.code());
    assertEquals(1, c.param(0), "one owner ended failed");
    assertEquals(1, blob.terminations.get(), "the hung owner got terminateMultiStageOperation");
    Map<String, byte[]> e = entries(sink.toByteArray());
    assertFalse(e.keySet().stream().anyMatch(n -> n.startsWith("owners/" + BLOB + "/") && !n.endsWith(".snapshot")),
        "no partial data of the hung owner: " + e.keySet());
    assertArrayEquals(bytes("alpha"), e.get("owners/" + NOTES + "/internal/files/notes/a.txt"));
    assertTrue(e.containsKey("owners/" + JournalOwner.OWNER_ID + "/internal/active.base"));
    String manifest = new String(e.get("manifest.json"), StandardCharsets.UTF_8);
    assertTrue(manifest.contains("failed") || manifest.contains("FAILED"), manifest);
    blob.release();
    blob.hang = false;

    changeEverything();
    restore(sink.toByteArray());
    List<Object> after = state();
    assertEquals(before.get(0), after.get(0), "the passive owner restored from the archive");
    assertEquals(before.get(2), after.get(2), "the journal restored from the archive");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    throw new AssertionError("not found");
  }
}
