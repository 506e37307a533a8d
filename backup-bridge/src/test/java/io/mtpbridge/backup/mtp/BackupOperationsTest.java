package io.mtpbridge.backup.mtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.client.BurMode;
import io.mtpbridge.backup.demo.JournalOwner;
import io.mtpbridge.backup.demo.SettingsOwner;
import io.mtpbridge.backup.engine.EngineFixture;
import io.mtpbridge.backup.protocol.BackupDatasets;
import io.mtpbridge.backup.protocol.BackupOperationCode;
import io.mtpbridge.backup.protocol.OwnerInfo;
import io.mtpbridge.backup.protocol.SessionState;
import io.mtpbridge.backup.protocol.SessionStatus;
import io.mtpbridge.core.dataset.PtpString;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.loopback.LoopbackRequest;
import io.mtpbridge.core.loopback.LoopbackTransport;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.transport.DataIn;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup extension driven through the responder over the in-memory loopback transport. */
class BackupOperationsTest {
  @TempDir Path tmp;
  EngineFixture fx;
  LoopbackTransport host;
  MtpResponder responder;
  LoopbackBridge bridge;
  SettingsOwner settings;
  JournalOwner journal;
  int tid = 1;

  @BeforeEach void setUp() throws Exception {
    fx = new EngineFixture(tmp);
    fx.registerPassive("org.example.notes", "notes");
    fx.registerActive(SettingsOwner.OWNER_ID, false, 5000);
    fx.registerActive(JournalOwner.OWNER_ID, true, 5000);
    fx.start(Duration.ofSeconds(5));
    Files.createDirectories(fx.internal.resolve("notes"));
    Files.writeString(fx.internal.resolve("notes/a.txt"), "alpha");
    settings = new SettingsOwner(tmp.resolve("settings"));
    settings.connect(fx.engine);
    settings.put("k", "v1");
    journal = new JournalOwner(tmp.resolve("journal"));
    journal.put("e1", "one".getBytes(StandardCharsets.UTF_8));
    journal.connect(fx.socket);
    bridge = new LoopbackBridge(fx.engine);
    responder = bridge.responder;
    host = bridge.host;
  }

  @AfterEach void tearDown() throws Exception {
    bridge.close();
    journal.client().close();
    fx.close();
    assertEquals(List.of(), host.violations());
    assertEquals(0, responder.unexpectedFailures());
  }

  private LoopbackExchange op(int code, int... params) throws Exception {
    return host.transact(code, tid++, params);
  }

  private static byte[] scope(List<String> owners) {
    ByteBuf b = Unpooled.buffer();
    b.writeIntLE(owners.size());
    for (String o : owners) PtpString.encode(o, b);
    b.writeIntLE(0);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    b.release();
    return out;
  }

  private int open(int mode, int scope, int inc, List<String> owners) throws Exception {
    LoopbackExchange x = host.transact(LoopbackRequest.of(BackupOperationCode.OPEN_BACKUP_SESSION.value(), tid++, mode, scope, inc).data(scope(owners)));
    assertEquals(0x2001, x.code());
    return x.param(0);
  }

  private byte[] backupOverMtp() throws Exception {
    int id = open(1, 1, 1, List.of());
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    LoopbackExchange x = host.transact(LoopbackRequest.of(BackupOperationCode.READ_BACKUP_ARCHIVE.value(), tid++, id).sink(Channels.newChannel(sink)));
    assertEquals(0x2001, x.code());
    assertEquals(DataIn.UNKNOWN_LENGTH, x.announcedLength(), "archive streamed with length 0xFFFFFFFF");
    assertEquals(0x2001, op(BackupOperationCode.CLOSE_BACKUP_SESSION.value(), id, 1).code());
    return sink.toByteArray();
  }

  private List<Object> state() throws Exception {
    return List.of(EngineFixture.tree(fx.internal.resolve("notes")), settings.all(), EngineFixture.tree(journal.entriesDirectory()));
  }

  @Test void advertisesTheExtension() {
    assertTrue(responder.vendorExtensions().contains("mtpbridge.io/backup: 1.0;"), responder.vendorExtensions());
    for (int code = 0x9A01; code <= 0x9A07; code++) assertTrue(responder.handlers().containsKey(code));
  }

  @Test void ownersListed() throws Exception {
    LoopbackExchange x = op(BackupOperationCode.GET_BACKUP_OWNERS.value());
    assertEquals(0x2001, x.code());
    List<OwnerInfo> owners = BackupDatasets.decodeOwners(Unpooled.wrappedBuffer(x.data()));
    assertEquals(3, owners.size());
    assertEquals(JournalOwner.OWNER_ID, owners.get(0).id());
    assertTrue(owners.get(0).active());
    assertEquals(owners.size(), owners.stream().map(OwnerInfo::id).distinct().count());
  }

  @Test void backupAndRestoreThroughMtp() throws Exception {
    List<Object> before = state();
    byte[] tar = backupOverMtp();
    Files.writeString(fx.internal.resolve("notes/a.txt"), "changed");
    settings.put("k", "v2");
    journal.delete("e1");
    assertNotEquals(before, state());

    int id = open(2, 1, 1, List.of());
    LoopbackExchange w = host.transact(LoopbackRequest.of(BackupOperationCode.WRITE_RESTORE_ARCHIVE.value(), tid++, id)
        .data(Channels.newChannel(new ByteArrayInputStream(tar)), DataIn.UNKNOWN_LENGTH));
    assertEquals(0x2001, w.code());
    assertEquals(3, w.param(0), "three owners restored");
    LoopbackExchange st = op(BackupOperationCode.GET_SESSION_STATUS.value(), id);
    assertEquals(0x2001, st.code());
    SessionStatus status = BackupDatasets.decodeStatus(Unpooled.wrappedBuffer(st.data()));
    assertEquals(id, status.sessionId());
    assertEquals(SessionState.TRANSFERRED, status.state());
    assertEquals(3, status.owners().size());
    assertEquals(0x2001, op(BackupOperationCode.CLOSE_BACKUP_SESSION.value(), id, 1).code());
    assertEquals(before, state());
  }

  private byte[] incrementOverMtp(byte[] previous) throws Exception {
    int id = open(1, 1, 2, List.of());
    assertEquals(0x2001, host.transact(LoopbackRequest.of(BackupOperationCode.SUPPLY_SNAPSHOTS.value(), tid++, id)
        .data(Channels.newChannel(new ByteArrayInputStream(previous)), DataIn.UNKNOWN_LENGTH)).code());
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    assertEquals(0x2001, host.transact(LoopbackRequest.of(BackupOperationCode.READ_BACKUP_ARCHIVE.value(), tid++, id).sink(Channels.newChannel(sink))).code());
    assertEquals(0x2001, op(BackupOperationCode.CLOSE_BACKUP_SESSION.value(), id, 1).code());
    return sink.toByteArray();
  }

  @Test void incrementalChainThroughMtp() throws Exception {
    byte[] base = backupOverMtp();
    journal.put("e2", "two".getBytes(StandardCharsets.UTF_8));
    Files.writeString(fx.internal.resolve("notes/b.txt"), "bravo");
    byte[] inc = incrementOverMtp(base);
    assertTrue(indexOfOrMinus(inc, "active.increment") >= 0, "the journal sent an increment");
    assertTrue(indexOfOrMinus(inc, "files/notes/a.txt") < 0, "unchanged passive file left out");
    List<Object> expected = state();

    journal.delete("e1");
    journal.delete("e2");
    Files.delete(fx.internal.resolve("notes/b.txt"));
    int id = open(2, 1, 1, List.of());
    for (byte[] a : List.of(base, inc)) {
      assertEquals(0x2001, host.transact(LoopbackRequest.of(BackupOperationCode.WRITE_RESTORE_ARCHIVE.value(), tid++, id)
          .data(Channels.newChannel(new ByteArrayInputStream(a)), DataIn.UNKNOWN_LENGTH)).code());
    }
    LoopbackExchange close = op(BackupOperationCode.CLOSE_BACKUP_SESSION.value(), id, 1);
    assertEquals(0x2001, close.code());
    assertEquals(0, close.param(0), "no owner failed at completion");
    assertEquals(expected, state());
  }

  private static int indexOfOrMinus(byte[] hay, String needle) {
    try {
      return indexOf(hay, needle.getBytes(StandardCharsets.UTF_8));
    } catch (AssertionError none) {
      return -1;
    }
  }

  @Test void corruptAndTruncatedArchivesRestoreNothing() throws Exception {
    byte[] tar = backupOverMtp();
    Files.writeString(fx.internal.resolve("notes/a.txt"), "changed");
    settings.put("k", "v2");
    List<Object> changed = state();
    byte[] corrupt = tar.clone();
    int at = indexOf(corrupt, "alpha".getBytes(StandardCharsets.UTF_8));
    corrupt[at] = 'A';
    // Cut inside the manifest (the last entry): everything before it is intact.
    byte[] truncated = java.util.Arrays.copyOf(tar, indexOf(tar, "\"owners\"".getBytes(StandardCharsets.UTF_8)));
    for (byte[] bad : List.of(corrupt, truncated)) {
      int id = open(2, 1, 1, List.of());
      LoopbackExchange w = host.transact(LoopbackRequest.of(BackupOperationCode.WRITE_RESTORE_ARCHIVE.value(), tid++, id).data(bad));
      assertEquals(0xAA06, w.code(), "ArchiveInvalid");
      assertEquals(0x2001, op(BackupOperationCode.CLOSE_BACKUP_SESSION.value(), id, 1).code());
      assertEquals(changed, state(), "nothing restored");
    }
  }

  @Test void rulesAnswerWithTheirCodes() throws Exception {
    int id = open(1, 1, 1, List.of());
    assertEquals(0xAA01, host.transact(LoopbackRequest.of(BackupOperationCode.OPEN_BACKUP_SESSION.value(), tid++, 2, 1, 1).data(scope(List.of()))).code());
    assertEquals(0xAA03, host.transact(LoopbackRequest.of(BackupOperationCode.SUPPLY_SNAPSHOTS.value(), tid++, id).data(new byte[1024])).code());
    assertEquals(0xAA08, host.transact(LoopbackRequest.of(BackupOperationCode.WRITE_RESTORE_ARCHIVE.value(), tid++, id).data(new byte[512])).code());
    assertEquals(0x201D, op(BackupOperationCode.GET_SESSION_STATUS.value(), id + 77).code());
    assertEquals(0x201D, op(BackupOperationCode.CLOSE_BACKUP_SESSION.value(), id, 9).code());
    assertEquals(0x2001, op(BackupOperationCode.CLOSE_BACKUP_SESSION.value(), id, 2).code());
    assertEquals(0xAA07, host.transact(LoopbackRequest.of(BackupOperationCode.OPEN_BACKUP_SESSION.value(), tid++, 1, 2, 1).data(scope(List.of("no.such.owner")))).code());
    assertEquals(0x201D, host.transact(LoopbackRequest.of(BackupOperationCode.OPEN_BACKUP_SESSION.value(), tid++, 3, 1, 1).data(scope(List.of()))).code());
    assertEquals(0xA806, host.transact(LoopbackRequest.of(BackupOperationCode.OPEN_BACKUP_SESSION.value(), tid++, 1, 1, 1).data(new byte[] {5, 0, 0, 0})).code(), "InvalidDataset");
  }

  @Test void cancelMidBackupAbortsSession() throws Exception {
    Files.write(fx.internal.resolve("notes/big.bin"), new byte[3_000_000]);
    int id = open(1, 1, 1, List.of());
    LoopbackExchange x = host.transact(LoopbackRequest.of(BackupOperationCode.READ_BACKUP_ARCHIVE.value(), tid++, id).cancelAfterBytes(100_000));
    assertTrue(x.cancelled());
    assertEquals(BurMode.NORMAL_MODE, fx.engine.mode(), "session aborted, back to normal");
    assertEquals(0x201D, op(BackupOperationCode.GET_SESSION_STATUS.value(), id).code(), "the aborted session is gone");
    assertEquals(0x2001, op(BackupOperationCode.GET_BACKUP_OWNERS.value()).code(), "the MTP session itself carries on");
  }

  @Test void resetMidRestoreRestoresNothing() throws Exception {
    byte[] tar = backupOverMtp();
    Files.writeString(fx.internal.resolve("notes/a.txt"), "changed");
    List<Object> changed = state();
    int id = open(2, 1, 1, List.of());
    LoopbackExchange x = host.transact(LoopbackRequest.of(BackupOperationCode.WRITE_RESTORE_ARCHIVE.value(), tid++, id).data(tar).resetAfterBytes(indexOf(tar, "\"owners\"".getBytes(StandardCharsets.UTF_8))));
    assertTrue(x.reset());
    assertEquals(changed, state());
    EngineFixtureWait.until(() -> fx.engine.mode().isNormal());
    assertEquals(0x2001, host.transact(0x1002, 0, 2).code(), "a new MTP session opens after the reset");
    tid = 1;
    assertEquals(0x201D, op(BackupOperationCode.GET_SESSION_STATUS.value(), id).code(), "the backup session died with the MTP session");
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    throw new AssertionError("not found");
  }

  static final class EngineFixtureWait {
    static void until(java.util.function.BooleanSupplier c) throws InterruptedException {
      long end = System.currentTimeMillis() + 60_000;
      while (!c.getAsBoolean()) {
        if (System.currentTimeMillis() > end) throw new AssertionError("condition not met within 60 s");
        Thread.sleep(10);
      }
    }
  }
}
