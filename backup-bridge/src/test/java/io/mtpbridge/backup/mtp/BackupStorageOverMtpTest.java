package io.mtpbridge.backup.mtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.demo.SettingsOwner;
import io.mtpbridge.backup.engine.EngineFixture;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.loopback.LoopbackRequest;
import io.mtpbridge.core.loopback.LoopbackTransport;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.MtpResponder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mtp-tools round trip on the Backup storage, with standard operations only, through the
 * responder: create a folder in /Backups, wait for status.txt to say done, get backup.tar, change
 * the data, send backup.tar into /Restore, read the result file, compare the data.
 */
class BackupStorageOverMtpTest {
  @TempDir Path tmp;
  EngineFixture fx;
  SettingsOwner settings;
  BackupStorage storage;
  LoopbackTransport host;
  MtpResponder responder;
  Thread serving;
  int tid = 1;
  int sid;

  @BeforeEach void setUp() throws Exception {
    fx = new EngineFixture(tmp);
    fx.registerPassive("org.example.notes", "notes");
    fx.registerActive(SettingsOwner.OWNER_ID, false, 5000);
    fx.start(Duration.ofSeconds(5));
    Files.createDirectories(fx.internal.resolve("notes/sub"));
    Files.writeString(fx.internal.resolve("notes/a.txt"), "alpha");
    Files.writeString(fx.internal.resolve("notes/sub/b.txt"), "bravo");
    settings = new SettingsOwner(tmp.resolve("settings"));
    settings.connect(fx.engine);
    settings.put("k", "v1");
    storage = new BackupStorage(fx.engine, Duration.ofMillis(200));
    responder = new BackupBridge(fx.engine).install(MtpResponder.builder().install(StandardOperations.SET), storage).build();
    host = new LoopbackTransport();
    serving = new Thread(() -> responder.serve(host), "responder");
    serving.start();
    assertEquals(0x2001, host.transact(0x1002, 0, 1).code());
    LoopbackExchange ids = op(0x1004);
    sid = le(ids.data()).getInt(4);
  }

  @AfterEach void tearDown() throws Exception {
    host.close();
    serving.join(5000);
    storage.close();
    fx.close();
    assertEquals(List.of(), host.violations());
    assertEquals(0, responder.unexpectedFailures());
  }

  private LoopbackExchange op(int code, int... params) throws Exception {
    LoopbackExchange x = host.transact(code, tid++, params);
    assertEquals(0x2001, x.code(), String.format("0x%04X", code));
    return x;
  }

  private static ByteBuffer le(byte[] b) { return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN); }

  /** name -> handle of the children of {@code parent} (0xFFFFFFFF: the storage root). */
  private Map<String, Integer> children(int parent) throws Exception {
    ByteBuffer h = le(op(0x1007, sid, 0, parent).data());
    Map<String, Integer> out = new LinkedHashMap<>();
    int n = h.getInt();
    for (int i = 0; i < n; i++) {
      int handle = h.getInt();
      LoopbackExchange x = host.transact(0x1008, tid++, handle);
      if (x.code() == 0x2009) continue; // removed on the device; its ObjectRemoved event is on its way
      assertEquals(0x2001, x.code());
      ObjectInfo info = ObjectInfo.decode(Unpooled.wrappedBuffer(x.data()));
      out.put(info.filename(), handle);
    }
    return out;
  }

  private byte[] get(int handle) throws Exception { return op(0x1009, handle).data(); }

  private int send(int parent, String name, byte[] data, boolean folder) throws Exception {
    ObjectInfo.Builder b = ObjectInfo.builder().storageId(sid).parentObject(parent).filename(name)
        .objectFormat(folder ? 0x3001 : 0x3000).size(folder ? 0 : data.length);
    if (folder) b.associationType(1);
    ObjectInfo info = b.build();
    ByteBuf buf = Unpooled.buffer();
    info.encode(buf);
    byte[] dataset = new byte[buf.readableBytes()];
    buf.readBytes(dataset);
    LoopbackExchange x = host.transact(LoopbackRequest.of(0x100C, tid++, sid, parent).data(dataset));
    assertEquals(0x2001, x.code(), "SendObjectInfo " + name);
    if (!folder) assertEquals(0x2001, host.transact(LoopbackRequest.of(0x100D, tid++).data(data)).code(), "SendObject " + name);
    return x.param(2);
  }

  private byte[] waitFor(int folder, String name, String contains) throws Exception {
    long end = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < end) {
      Integer h = children(folder).get(name);
      if (h != null) {
        byte[] content = get(h);
        if (new String(content, StandardCharsets.UTF_8).contains(contains)) return content;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " never contained " + contains);
  }

  @Test void backupAndRestoreWithStandardOperationsOnly() throws Exception {
    Map<String, Integer> root = children(0xFFFFFFFF);
    assertEquals(List.of("Owners", "Backups", "Restore"), List.copyOf(root.keySet()));
    assertTrue(children(root.get("Owners")).containsKey(SettingsOwner.OWNER_ID + ".txt"));

    int folder = send(root.get("Backups"), "nightly", null, true);
    waitFor(folder, "status.txt", "state: done");
    // The responder learns of new files through coalesced storage events (about 200 ms).
    waitFor(folder, "manifest.json", "setId");
    Map<String, Integer> files = children(folder);
    byte[] tar = get(files.get("backup.tar"));
    String manifestJson = new String(get(files.get("manifest.json")), StandardCharsets.UTF_8);
    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(tar), new Staging(tmp.resolve("check"), 1 << 30))) {
      assertEquals(a.manifest().toJson(), manifestJson);
      for (Manifest.Owner o : a.manifest().owners()) assertEquals("ok", o.status(), o.id());
    }

    Files.writeString(fx.internal.resolve("notes/a.txt"), "changed");
    Files.delete(fx.internal.resolve("notes/sub/b.txt"));
    Files.writeString(fx.internal.resolve("notes/new.txt"), "extra");
    settings.put("k", "v2");

    send(root.get("Restore"), "backup.tar", tar, false);
    byte[] result = waitFor(root.get("Restore"), "backup.tar.result.txt", "success");
    assertTrue(new String(result, StandardCharsets.UTF_8).contains("owner org.example.notes: restored"));
    assertEquals("alpha", Files.readString(fx.internal.resolve("notes/a.txt")));
    assertEquals("bravo", Files.readString(fx.internal.resolve("notes/sub/b.txt")));
    assertTrue(Files.notExists(fx.internal.resolve("notes/new.txt")));
    assertEquals("v1", settings.get("k"));
  }

  /**
   * Windows Explorer makes a folder as "New folder" and renames it once the user typed a name
   * (SetObjectPropValue ObjectFileName): the backup waits for that name and runs under it.
   */
  @Test void windowsNewFolderThenRenameBacksUpUnderTheFinalName() throws Exception {
    Map<String, Integer> root = children(0xFFFFFFFF);
    int folder = send(root.get("Backups"), "New folder", null, true);
    Thread.sleep(1000); // five grace periods: a folder made under its final name would have started
    String waiting = new String(get(children(folder).get("status.txt")), StandardCharsets.UTF_8);
    assertTrue(waiting.contains("state: waiting"), waiting);
    ByteBuf name = Unpooled.buffer();
    io.mtpbridge.core.dataset.PtpString.encode("Holiday", name);
    byte[] value = new byte[name.readableBytes()];
    name.readBytes(value);
    LoopbackExchange rename = host.transact(LoopbackRequest.of(0x9804, tid++, folder, 0xDC07).data(value));
    assertEquals(0x2001, rename.code(), "SetObjectPropValue ObjectFileName");
    String status = new String(waitFor(folder, "status.txt", "state: done"), StandardCharsets.UTF_8);
    assertTrue(status.contains("owner org.example.notes: ok"), status);
    Map<String, Integer> backups = children(root.get("Backups"));
    assertEquals(List.of("Holiday"), List.copyOf(backups.keySet()));
    assertEquals(folder, backups.get("Holiday"), "the same object, renamed");
    // The responder learns of new files through coalesced storage events (about 200 ms).
    waitFor(folder, "manifest.json", "setId");
    assertTrue(children(folder).containsKey("backup.tar"));
  }

  /** gvfs and libmtp create the folder under its final name: it starts after the grace period. */
  @Test void folderMadeUnderItsFinalNameStartsAfterTheGracePeriod() throws Exception {
    Map<String, Integer> root = children(0xFFFFFFFF);
    int folder = send(root.get("Backups"), "nightly", null, true);
    waitFor(folder, "status.txt", "state: done");
  }
}
