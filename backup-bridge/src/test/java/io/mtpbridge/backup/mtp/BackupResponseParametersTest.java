package io.mtpbridge.backup.mtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.mtpbridge.backup.engine.EngineFixture;
import io.mtpbridge.backup.protocol.BackupDatasets;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup extension's operations answer the response parameters their published table defines
 * (backup-protocol/README.md, "Operations"), on success and on failure (then none: the
 * response code says what went wrong). One success and one failure per operation.
 */
class BackupResponseParametersTest {
  @TempDir Path tmp;
  EngineFixture fx;
  LoopbackTransport host;
  MtpResponder responder;
  LoopbackBridge bridge;
  int tid = 1;

  /** The table: operation code → what the response parameters are on OK (failures carry none). */
  static final List<Object[]> TABLE = List.of(
      new Object[] {0x9A01, "GetBackupOwners", List.of()},
      new Object[] {0x9A02, "OpenBackupSession", List.of("session id")},
      new Object[] {0x9A03, "SupplySnapshots", List.of()},
      new Object[] {0x9A04, "GetSessionStatus", List.of()},
      new Object[] {0x9A05, "ReadBackupArchive", List.of()},
      new Object[] {0x9A06, "WriteRestoreArchive", List.of("owners whose data was taken (applied at commit)", "owners failed or skipped")},
      new Object[] {0x9A07, "CloseBackupSession", List.of("owners that ended failed")});

  @BeforeEach void setUp() throws Exception {
    fx = new EngineFixture(tmp);
    fx.registerPassive("org.example.notes", "notes");
    fx.start(Duration.ofSeconds(5));
    Files.createDirectories(fx.internal.resolve("notes"));
    Files.writeString(fx.internal.resolve("notes/a.txt"), "alpha");
    bridge = new LoopbackBridge(fx.engine);
    responder = bridge.responder;
    host = bridge.host;
  }

  @AfterEach void tearDown() throws Exception {
    bridge.close();
    fx.close();
    assertEquals(List.of(), host.violations());
    assertEquals(0, responder.unexpectedFailures());
  }

  private static byte[] fullScope() {
    ByteBuf b = Unpooled.buffer();
    b.writeIntLE(0);
    b.writeIntLE(0);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  private LoopbackExchange open(int mode, int increment) throws Exception {
    return host.transact(LoopbackRequest.of(0x9A02, tid++, mode, 1, increment).data(fullScope()));
  }

  private byte[] read(int session) throws Exception {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ok(host.transact(LoopbackRequest.of(0x9A05, tid++, session).sink(Channels.newChannel(sink))), 0x9A05);
    return sink.toByteArray();
  }

  private static List<String> spec(int code) {
    for (Object[] row : TABLE) {
      if ((int) row[0] == code) {
        @SuppressWarnings("unchecked") List<String> p = (List<String>) row[2];
        return p;
      }
    }
    throw new AssertionError("no row for " + Integer.toHexString(code));
  }

  /** OK with exactly the parameters the table lists; returns them. */
  private static int[] ok(LoopbackExchange x, int code) {
    assertEquals(0x2001, x.code(), () -> String.format("0x%04X answered 0x%04X", code, x.code()));
    int[] p = x.response().params();
    assertEquals(spec(code).size(), p.length, () -> String.format("0x%04X: the table defines %s, got %s", code, spec(code), Arrays.toString(p)));
    return p;
  }

  private static void failed(LoopbackExchange x, int code) {
    assertNotEquals(0x2001, x.code(), String.format("0x%04X should have failed", code));
    assertArrayEquals(new int[0], x.response().params(), String.format("0x%04X failure carries no parameter", code));
  }

  @Test void everyOperationAnswersItsTable() throws Exception {
    assertEquals(0, ok(host.transact(0x9A01, tid++), 0x9A01).length);

    int backup = ok(open(1, 1), 0x9A02)[0];
    assertNotEquals(0, backup, "a session id");
    assertEquals(backup, BackupDatasets.decodeStatus(Unpooled.wrappedBuffer(host.transact(0x9A04, tid++, backup).data())).sessionId(),
        "the id names the session");
    ok(host.transact(0x9A04, tid++, backup), 0x9A04);
    byte[] tar = read(backup);
    assertEquals(List.of(0), Arrays.stream(ok(host.transact(0x9A07, tid++, backup, 1), 0x9A07)).boxed().toList(), "no owner failed");

    int increment = ok(open(1, 2), 0x9A02)[0];
    ok(host.transact(LoopbackRequest.of(0x9A03, tid++, increment).data(Channels.newChannel(new ByteArrayInputStream(tar)), DataIn.UNKNOWN_LENGTH)), 0x9A03);
    read(increment);
    ok(host.transact(0x9A07, tid++, increment, 2), 0x9A07);

    int restore = ok(open(2, 1), 0x9A02)[0];
    int[] w = ok(host.transact(LoopbackRequest.of(0x9A06, tid++, restore).data(Channels.newChannel(new ByteArrayInputStream(tar)), DataIn.UNKNOWN_LENGTH)), 0x9A06);
    assertEquals(List.of(1, 0), Arrays.stream(w).boxed().toList(), "one owner restored, none failed");
    ok(host.transact(0x9A07, tid++, restore, 1), 0x9A07);
  }

  @Test void failuresCarryNoParameter() throws Exception {
    int nobody = 0x7777;
    failed(open(9, 1), 0x9A02); // no such mode
    failed(host.transact(LoopbackRequest.of(0x9A03, tid++, nobody).data(new byte[512])), 0x9A03);
    failed(host.transact(0x9A04, tid++, nobody), 0x9A04);
    failed(host.transact(0x9A05, tid++, nobody), 0x9A05);
    failed(host.transact(LoopbackRequest.of(0x9A06, tid++, nobody).data(new byte[512])), 0x9A06);
    int restore = ok(open(2, 1), 0x9A02)[0];
    failed(host.transact(LoopbackRequest.of(0x9A06, tid++, restore).data(new byte[512])), 0x9A06); // not an archive
    failed(host.transact(0x9A07, tid++, restore, 9), 0x9A07); // no such outcome
    ok(host.transact(0x9A07, tid++, restore, 2), 0x9A07);
    assertEquals(0x2001, host.transact(0x1003, tid++).code());
    failed(host.transact(0x9A01, tid++), 0x9A01); // outside a session
  }
}
