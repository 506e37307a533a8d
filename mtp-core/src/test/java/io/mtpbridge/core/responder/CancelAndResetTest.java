package io.mtpbridge.core.responder;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.loopback.FaultPoint;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.loopback.LoopbackRequest;
import io.mtpbridge.core.loopback.LoopbackTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cancel and reset at every phase of a transaction: the handler stops, nothing partial stays on
 * disk, no response is sent for the cancelled transaction, and the responder serves the next one.
 */
class CancelAndResetTest {
  @TempDir Path dir;
  static final int SIZE = 3 * 1024 * 1024 + 17;

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private int rootHandle(TestHost h, String name) throws Exception {
    for (int hd : h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF)) {
      var info = io.mtpbridge.core.dataset.ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, hd)));
      if (info.filename().equals(name)) return hd;
    }
    throw new AssertionError("no " + name);
  }

  @ParameterizedTest
  @EnumSource(value = FaultPoint.class, names = {"DATA_PHASE_START", "AFTER_BYTES", "RESPONSE"}) // CHECK: CancellableTreeOperationsTest
  void cancelledSendObjectLeavesNothing(FaultPoint point) throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("up.bin", SIZE), Fixtures.STORAGE_1, 0));
      LoopbackRequest r = LoopbackRequest.of(OperationCode.SEND_OBJECT.value(), h.nextTid()).data(LoopbackTransport.zeroSource(SIZE), SIZE);
      if (point == FaultPoint.AFTER_BYTES) r.cancelAfterBytes(SIZE / 2); else r.cancelAt(point);
      LoopbackExchange x = h.request(r);
      if (point == FaultPoint.RESPONSE) {
        // The data all arrived; the cancel raced the response. The object may exist, but no response went out.
        assertNull(x.response());
      } else {
        assertTrue(x.cancelled());
        assertNull(x.response());
        assertEquals(List.of(), names(dir), "no partial or temporary file");
      }
      expect(ResponseCode.OK, h.tx(OperationCode.GET_STORAGE_IDS));
      h.assertClean();
    }
  }

  @ParameterizedTest
  @EnumSource(value = FaultPoint.class, names = {"DATA_PHASE_START", "AFTER_BYTES", "RESPONSE"}) // CHECK: CancellableTreeOperationsTest
  void cancelledGetObjectSendsNoResponseAndTheNextTransactionWorks(FaultPoint point) throws Exception {
    Files.write(dir.resolve("big.bin"), new byte[SIZE]);
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int hd = rootHandle(h, "big.bin");
      LoopbackRequest r = LoopbackRequest.of(OperationCode.GET_OBJECT.value(), h.nextTid(), hd).sink(LoopbackTransport.nullSink());
      if (point == FaultPoint.AFTER_BYTES) r.cancelAfterBytes(1024 * 1024); else r.cancelAt(point);
      LoopbackExchange x = h.request(r);
      assertTrue(x.cancelled());
      assertNull(x.response());
      if (point == FaultPoint.AFTER_BYTES) assertEquals(1024 * 1024, x.bytesFromDevice());
      LoopbackExchange again = h.request(LoopbackRequest.of(OperationCode.GET_OBJECT.value(), h.nextTid(), hd).sink(LoopbackTransport.nullSink()));
      expect(ResponseCode.OK, again);
      assertEquals(SIZE, again.bytesFromDevice());
      h.assertClean();
    }
  }

  @Test
  void cancelledSendObjectInfoCreatesNothingAndSendObjectThenHasNoInfo() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      LoopbackExchange x = h.request(LoopbackRequest.of(OperationCode.SEND_OBJECT_INFO.value(), h.nextTid(), Fixtures.STORAGE_1, 0)
          .data(Fixtures.fileInfo("x.bin", 10)).cancelAfterBytes(20));
      assertTrue(x.cancelled());
      expect(ResponseCode.NO_VALID_OBJECT_INFO, h.send(OperationCode.SEND_OBJECT, new byte[10]));
      assertEquals(List.of(), names(dir));
      h.assertClean();
    }
  }

  @ParameterizedTest
  @EnumSource(value = FaultPoint.class, names = {"DATA_PHASE_START", "AFTER_BYTES", "RESPONSE"}) // CHECK: CancellableTreeOperationsTest
  void resetDuringSendObjectClosesTheSessionAndLeavesNothing(FaultPoint point) throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("up.bin", SIZE), Fixtures.STORAGE_1, 0));
      LoopbackRequest r = LoopbackRequest.of(OperationCode.SEND_OBJECT.value(), h.nextTid()).data(LoopbackTransport.zeroSource(SIZE), SIZE);
      if (point == FaultPoint.AFTER_BYTES) r.resetAfterBytes(SIZE - 1); else r.resetAt(point);
      LoopbackExchange x = h.request(r);
      assertTrue(x.reset());
      assertNull(x.response());
      expect(ResponseCode.SESSION_NOT_OPEN, h.tx(OperationCode.GET_STORAGE_IDS));
      if (point != FaultPoint.RESPONSE) assertEquals(List.of(), names(dir));
      h.open();
      h.assertClean();
    }
  }

  @Test
  void resetWhileAnUploadIsAnnouncedButNotSentDiscardsIt() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      expect(ResponseCode.OK, h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("pending.bin", 100), Fixtures.STORAGE_1, 0));
      h.link.reset();
      h.open();
      expect(ResponseCode.NO_VALID_OBJECT_INFO, h.send(OperationCode.SEND_OBJECT, new byte[100]));
      assertEquals(List.of(), names(dir), "the temporary file went with the session");
      h.assertClean();
    }
  }

  @Test
  void refusedOperationWithAHostDataPhaseStillConsumesIt() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      // Outside a session: refused, but the host's data must be read so the next command frames right.
      LoopbackExchange x = h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("x", 1), 0, 0);
      expect(ResponseCode.SESSION_NOT_OPEN, x);
      assertEquals(Fixtures.fileInfo("x", 1).length, x.bytesToDevice());
      h.open();
      assertFalse(Files.exists(dir.resolve("x")));
      h.assertClean();
    }
  }
}
