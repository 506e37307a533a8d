package io.mtpbridge.core.responder;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStateMachineTest {
  @TempDir Path dir;

  @Test
  void getDeviceInfoWorksOutsideASessionEverythingElseIsSessionNotOpen() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      DeviceInfo info = DeviceInfo.decode(h.ok(h.link.transact(OperationCode.GET_DEVICE_INFO.value(), 0)));
      assertEquals("Test", info.manufacturer());
      expect(ResponseCode.SESSION_NOT_OPEN, h.tx(OperationCode.GET_STORAGE_IDS));
      expect(ResponseCode.SESSION_NOT_OPEN, h.tx(OperationCode.GET_OBJECT_HANDLES, 0, 0, 0));
      expect(ResponseCode.SESSION_NOT_OPEN, h.tx(OperationCode.CLOSE_SESSION));
      h.assertClean();
    }
  }

  @Test
  void openSessionNeedsTransactionIdZeroAndANonZeroSessionId() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      expect(ResponseCode.INVALID_TRANSACTION_ID, h.link.transact(OperationCode.OPEN_SESSION.value(), 5, 1));
      expect(ResponseCode.INVALID_PARAMETER, h.link.transact(OperationCode.OPEN_SESSION.value(), 0, 0));
      h.open();
      h.assertClean();
    }
  }

  @Test
  void secondOpenSessionAnswersSessionAlreadyOpenWithTheOpenId() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      expect(ResponseCode.OK, h.link.transact(OperationCode.OPEN_SESSION.value(), 0, 7));
      LoopbackExchange x = h.link.transact(OperationCode.OPEN_SESSION.value(), 0, 9);
      expect(ResponseCode.SESSION_ALREADY_OPEN, x);
      assertEquals(7, x.param(0));
      // go-mtpfs then closes with TransactionID 0 and opens again.
      expect(ResponseCode.OK, h.link.transact(OperationCode.CLOSE_SESSION.value(), 0));
      expect(ResponseCode.OK, h.link.transact(OperationCode.OPEN_SESSION.value(), 0, 9));
      h.assertClean();
    }
  }

  @Test
  void transactionIdsZeroAllOnesAndRepeatsAreRefusedInASession() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      expect(ResponseCode.INVALID_TRANSACTION_ID, h.link.transact(OperationCode.GET_STORAGE_IDS.value(), 0));
      expect(ResponseCode.INVALID_TRANSACTION_ID, h.link.transact(OperationCode.GET_STORAGE_IDS.value(), 0xFFFFFFFF));
      expect(ResponseCode.OK, h.link.transact(OperationCode.GET_STORAGE_IDS.value(), 10));
      expect(ResponseCode.INVALID_TRANSACTION_ID, h.link.transact(OperationCode.GET_STORAGE_IDS.value(), 10));
      expect(ResponseCode.OK, h.link.transact(OperationCode.GET_STORAGE_IDS.value(), 11));
      h.assertClean();
    }
  }

  @Test
  void unknownOperationIsNotSupportedAndTheLoopGoesOn() throws Exception {
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      expect(ResponseCode.OPERATION_NOT_SUPPORTED, h.tx(0x9999));
      expect(ResponseCode.OPERATION_NOT_SUPPORTED, h.tx(OperationCode.INITIATE_CAPTURE));
      expect(ResponseCode.OK, h.tx(OperationCode.GET_STORAGE_IDS));
      h.assertClean();
    }
  }

  @Test
  void resetClosesTheSessionAndTheResponderServesTheNextHost() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET)
        .addStorage(new FileSystemStorage("S", dir, false))
        .addSessionListener(new SessionListener() {
          @Override public void sessionOpened(int id) { seen.add("open " + id); }
          @Override public void sessionClosed(int id, End reason) { seen.add("close " + id + " " + reason); }
        })
        .build();
    try (TestHost h = new TestHost(r)) {
      h.open();
      h.link.reset();
      expect(ResponseCode.SESSION_NOT_OPEN, h.tx(OperationCode.GET_STORAGE_IDS));
      h.open();
      expect(ResponseCode.OK, h.tx(OperationCode.CLOSE_SESSION));
      assertEquals(List.of("open 1", "close 1 RESET", "open 1", "close 1 CLOSED_BY_HOST"), seen);
      h.assertClean();
    }
    assertTrue(seen.size() == 4, "closing the transport with no session open calls no listener");
  }

  @Test
  void vendorOperationIsDispatchedAndAdvertisedAndVendorExtensionListed() throws Exception {
    OperationHandler vendor = new OperationHandler() {
      @Override public int operationCode() { return 0x9A01; }
      @Override public OperationResult handle(OperationContext ctx) { return OperationResult.ok(ctx.param(0) + 1); }
    };
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET).addStorage(new FileSystemStorage("S", dir, false))
        .addOperation(vendor).addVendorExtension("mtpbridge.io/backup: 1.0;").build();
    try (TestHost h = new TestHost(r)) {
      DeviceInfo info = DeviceInfo.decode(h.ok(h.link.transact(OperationCode.GET_DEVICE_INFO.value(), 0)));
      assertTrue(Arrays.stream(info.operationsSupported()).anyMatch(c -> c == 0x9A01));
      assertEquals("microsoft.com: 1.0; mtpbridge.io/backup: 1.0;", info.vendorExtensionDesc());
      h.open();
      LoopbackExchange x = h.tx(0x9A01, 41);
      expect(ResponseCode.OK, x);
      assertEquals(42, x.param(0));
      h.assertClean();
    }
  }

  @Test
  void operationsAdvertisedAreExactlyTheRegisteredHandlers() throws Exception {
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET).addStorage(new FileSystemStorage("S", dir, false))
        .removeOperation(OperationCode.COPY_OBJECT.value()).build();
    try (TestHost h = new TestHost(r)) {
      DeviceInfo info = DeviceInfo.decode(h.ok(h.link.transact(OperationCode.GET_DEVICE_INFO.value(), 0)));
      int[] advertised = info.operationsSupported();
      int[] registered = r.handlers().keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
      assertTrue(Arrays.equals(advertised, registered));
      assertFalse(Arrays.stream(advertised).anyMatch(c -> c == OperationCode.COPY_OBJECT.value()));
      assertEquals(32, advertised.length);
      h.open();
      expect(ResponseCode.OPERATION_NOT_SUPPORTED, h.tx(OperationCode.COPY_OBJECT, 1, 0, 0));
      assertEquals(100, info.standardVersion());
      assertEquals(6, info.vendorExtensionId());
      assertEquals("microsoft.com: 1.0;", info.vendorExtensionDesc());
    }
  }

  @Test
  void builderRejectsAStorageIdWithZeroLowBitsAndAnUnterminatedExtension() {
    assertThrows(IllegalArgumentException.class, () -> MtpResponder.builder().install(StandardOperations.SET).addStorage(0x00010000, new FileSystemStorage("S", dir, false)));
    assertThrows(IllegalArgumentException.class, () -> MtpResponder.builder().install(StandardOperations.SET).addVendorExtension("vendor.example: 1.0"));
    assertThrows(IllegalArgumentException.class, () -> MtpResponder.builder().install(StandardOperations.SET).addOperation(new io.mtpbridge.core.operations.GetObject()));
  }

  @Test
  void closedTransportEndsServe() throws Exception {
    TestHost h = new TestHost(Fixtures.responder(dir));
    h.open();
    h.close();
    assertFalse(h.alive());
  }
}
