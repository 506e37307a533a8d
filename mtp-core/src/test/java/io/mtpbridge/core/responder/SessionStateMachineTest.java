package io.mtpbridge.core.responder;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.loopback.LoopbackRequest;
import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.Set;
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

  /**
   * The operations DeviceInfo advertises against an expectation written independently (the MTP
   * operations this project implements, minus one withdrawn), and against what the device serves:
   * every advertised code reaches a handler (never OperationNotSupported), every other code of the
   * MTP tables is OperationNotSupported. Comparing DeviceInfo with the handler map it is built from
   * could not fail.
   */
  @Test
  void operationsAdvertisedAreExactlyTheOperationsServed() throws Exception {
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET).addStorage(new FileSystemStorage("S", dir, false))
        .referencesFile(Fixtures.stateFile("object-references"))
        .removeOperation(OperationCode.COPY_OBJECT.value()).build();
    Set<Integer> expected = new TreeSet<>(List.of(0x1001, 0x1002, 0x1003, 0x1004, 0x1005, 0x1006, 0x1007, 0x1008, 0x1009,
        0x100B, 0x100C, 0x100D, 0x1014, 0x1015, 0x1016, 0x1017, 0x1019, 0x101B, 0x9801, 0x9802, 0x9803, 0x9804, 0x9805,
        0x9806, 0x9808, 0x9810, 0x9811, 0x95C1, 0x95C2, 0x95C3, 0x95C4, 0x95C5));
    try (TestHost h = new TestHost(r)) {
      DeviceInfo info = DeviceInfo.decode(h.ok(h.link.transact(OperationCode.GET_DEVICE_INFO.value(), 0)));
      Set<Integer> advertised = new TreeSet<>();
      for (int c : info.operationsSupported()) advertised.add(c);
      assertEquals(expected, advertised);
      h.open();
      for (OperationCode op : OperationCode.values()) {
        int code = op.value();
        if (code == OperationCode.OPEN_SESSION.value() || code == OperationCode.CLOSE_SESSION.value()) continue;
        // no parameters (handle 0 names no object, nothing is changed); an empty data phase for the
        // operations whose host sends one
        boolean hostData = Set.of(0x100C, 0x100D, 0x1016, 0x9804, 0x9806, 0x9808, 0x9811, 0x95C2).contains(code);
        int answer = hostData ? h.request(LoopbackRequest.of(code, h.nextTid()).data(new byte[0])).code() : h.tx(code).code();
        if (advertised.contains(code)) {
          assertNotEquals(ResponseCode.OPERATION_NOT_SUPPORTED.value(), answer, op + " is advertised but not served");
        } else {
          assertEquals(ResponseCode.OPERATION_NOT_SUPPORTED.value(), answer, op + " is served but not advertised");
        }
      }
      for (int prop : info.devicePropertiesSupported()) {
        expect(ResponseCode.OK, h.tx(OperationCode.GET_DEVICE_PROP_DESC, prop));
      }
      assertEquals(100, info.standardVersion());
      assertEquals(6, info.vendorExtensionId());
      assertEquals("microsoft.com: 1.0;", info.vendorExtensionDesc());
      h.assertClean();
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
