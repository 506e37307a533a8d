package io.mtpbridge.core.operations;

import static io.mtpbridge.core.responder.Fixtures.STORAGE_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.mtpbridge.core.code.DevicePropertyCode;
import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.dataset.PtpArrays;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.operations.SpecResponseParameters.Meaning;
import io.mtpbridge.core.operations.SpecResponseParameters.Row;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.OperationHandler;
import io.mtpbridge.core.responder.TestHost;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation mtp-core serves answers exactly the response parameters the specifications
 * define ({@link SpecResponseParameters}, written from the spec texts): their number and their
 * meaning, on success and on failure. Each operation is driven once to success and at least once
 * to a failure, on a fresh device.
 */
class ResponseParametersTest {
  @TempDir Path tmp;

  /** What a scenario did, and how to check each meaning against it. */
  record Outcome(LoopbackExchange exchange, Map<Meaning, IntPredicate> expected) {}

  interface Scenario {
    Outcome run(Device d) throws IOException;
  }

  /** A fresh device with a few objects, a session open (id 1). */
  static final class Device implements AutoCloseable {
    final Path dir;
    final TestHost h;

    Device(Path dir) throws IOException {
      this.dir = dir;
      Files.writeString(dir.resolve("a.txt"), "hello a");
      Files.createDirectory(dir.resolve("docs"));
      Files.writeString(dir.resolve("docs/c.txt"), "inside");
      MtpResponder r = Fixtures.responder(dir);
      h = new TestHost(r);
      h.open();
    }

    int handle(String path) throws IOException {
      int parent = 0xFFFFFFFF;
      int found = 0;
      for (String name : path.split("/")) {
        found = 0;
        for (int hd : h.handles(STORAGE_1, 0, parent)) {
          if (info(hd).filename().equals(name)) found = hd;
        }
        assertNotEquals(0, found, "no object " + path);
        parent = found;
      }
      return found;
    }

    ObjectInfo info(int handle) throws IOException {
      return ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, handle)));
    }

    /** A check that {@code handle} names an object called {@code name} (the new object). */
    IntPredicate names(String name) {
      return handle -> {
        try {
          LoopbackExchange x = h.tx(OperationCode.GET_OBJECT_INFO, handle);
          return x.code() == ResponseCode.OK.value() && ObjectInfo.decode(Unpooled.wrappedBuffer(x.data())).filename().equals(name);
        } catch (IOException e) {
          return false;
        }
      };
    }

    /** Like {@link #names}, for an announced file whose bytes a SendObject brings first. */
    IntPredicate namesAfterSend(String name, String content) {
      return handle -> {
        try {
          return h.send(OperationCode.SEND_OBJECT, utf8(content)).code() == ResponseCode.OK.value() && names(name).test(handle);
        } catch (IOException e) {
          return false;
        }
      };
    }

    @Override public void close() throws Exception {
      h.assertClean();
      h.close();
    }
  }

  static IntPredicate is(int v) { return x -> x == v; }

  static Map<Meaning, IntPredicate> expect(Object... pairs) {
    Map<Meaning, IntPredicate> m = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      Object v = pairs[i + 1];
      m.put((Meaning) pairs[i], v instanceof Integer n ? is(n) : (IntPredicate) v);
    }
    m.putIfAbsent(Meaning.ZERO, is(0));
    return m;
  }

  static byte[] propList(ObjectPropList.Element... elements) {
    ByteBuf b = Unpooled.buffer();
    new ObjectPropList(List.of(elements)).encode(b);
    return TestHost.bytes(b);
  }

  static ObjectPropList.Element name(String n) {
    return new ObjectPropList.Element(0, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.str(n));
  }

  static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

  // ---- the scenarios: one success and one or more failures per operation ----

  static final Map<Integer, List<Scenario>> OK = new LinkedHashMap<>();
  static final Map<Integer, List<Scenario>> FAIL = new LinkedHashMap<>();

  static void ok(int code, Scenario s) { OK.computeIfAbsent(code, k -> new ArrayList<>()).add(s); }

  static void fail(int code, Scenario s) { FAIL.computeIfAbsent(code, k -> new ArrayList<>()).add(s); }

  static {
    int bad = 0x7777_7777; // a handle no device hands out here
    ok(0x1001, d -> new Outcome(d.h.tx(OperationCode.GET_DEVICE_INFO), expect()));
    // GetDeviceInfo cannot fail: no failure scenario.
    ok(0x1002, d -> {
      d.h.tx(OperationCode.CLOSE_SESSION);
      return new Outcome(d.h.link.transact(OperationCode.OPEN_SESSION.value(), 0, 7), expect());
    });
    fail(0x1002, d -> { // SessionID 0, no session open
      d.h.tx(OperationCode.CLOSE_SESSION);
      return new Outcome(d.h.link.transact(OperationCode.OPEN_SESSION.value(), 0, 0), expect());
    });
    ok(0x1003, d -> new Outcome(d.h.tx(OperationCode.CLOSE_SESSION), expect()));
    fail(0x1003, d -> {
      d.h.tx(OperationCode.CLOSE_SESSION);
      return new Outcome(d.h.tx(OperationCode.CLOSE_SESSION), expect());
    });
    ok(0x1004, d -> new Outcome(d.h.tx(OperationCode.GET_STORAGE_IDS), expect()));
    fail(0x1004, d -> {
      d.h.tx(OperationCode.CLOSE_SESSION);
      return new Outcome(d.h.tx(OperationCode.GET_STORAGE_IDS), expect());
    });
    ok(0x1005, d -> new Outcome(d.h.tx(OperationCode.GET_STORAGE_INFO, STORAGE_1), expect()));
    fail(0x1005, d -> new Outcome(d.h.tx(OperationCode.GET_STORAGE_INFO, 0x00090001), expect()));
    ok(0x1006, d -> new Outcome(d.h.tx(OperationCode.GET_NUM_OBJECTS, STORAGE_1, 0, 0xFFFFFFFF), expect(Meaning.NUM_OBJECTS, 2)));
    fail(0x1006, d -> new Outcome(d.h.tx(OperationCode.GET_NUM_OBJECTS, STORAGE_1, 0, bad), expect()));
    ok(0x1007, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_HANDLES, STORAGE_1, 0, 0xFFFFFFFF), expect()));
    fail(0x1007, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_HANDLES, STORAGE_1, 0, bad), expect()));
    ok(0x1008, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_INFO, d.handle("a.txt")), expect()));
    fail(0x1008, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_INFO, bad), expect()));
    ok(0x1009, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT, d.handle("a.txt")), expect()));
    fail(0x1009, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT, bad), expect()));
    ok(0x100B, d -> new Outcome(d.h.tx(OperationCode.DELETE_OBJECT, d.handle("a.txt"), 0), expect()));
    fail(0x100B, d -> new Outcome(d.h.tx(OperationCode.DELETE_OBJECT, bad, 0), expect()));
    // SendObjectInfo into the root (given as 0xFFFFFFFF and as 0) and into a folder.
    for (int root : new int[] {0xFFFFFFFF, 0}) {
      ok(0x100C, d -> new Outcome(d.h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("n.txt", 3), STORAGE_1, root),
          expect(Meaning.STORAGE_ID, STORAGE_1, Meaning.PARENT_HANDLE, 0xFFFFFFFF, Meaning.NEW_HANDLE, d.namesAfterSend("n.txt", "abc"))));
    }
    fail(0x100C, d -> new Outcome(d.h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("a.txt", 3), STORAGE_1, 0xFFFFFFFF), expect()));
    fail(0x100C, d -> new Outcome(d.h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("n.txt", 3), STORAGE_1, bad), expect()));
    ok(0x100C, d -> {
      int docs = d.handle("docs");
      return new Outcome(d.h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("e.txt", 0), STORAGE_1, docs),
          expect(Meaning.STORAGE_ID, STORAGE_1, Meaning.PARENT_HANDLE, docs, Meaning.NEW_HANDLE, d.names("e.txt")));
    });
    ok(0x100D, d -> {
      d.h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo("n.txt", 3), STORAGE_1, 0xFFFFFFFF);
      return new Outcome(d.h.send(OperationCode.SEND_OBJECT, utf8("abc")), expect());
    });
    fail(0x100D, d -> new Outcome(d.h.send(OperationCode.SEND_OBJECT, utf8("abc")), expect())); // no ObjectInfo
    int name = DevicePropertyCode.DEVICE_FRIENDLY_NAME.value();
    ok(0x1014, d -> new Outcome(d.h.tx(OperationCode.GET_DEVICE_PROP_DESC, name), expect()));
    fail(0x1014, d -> new Outcome(d.h.tx(OperationCode.GET_DEVICE_PROP_DESC, 0x5FFE), expect()));
    ok(0x1015, d -> new Outcome(d.h.tx(OperationCode.GET_DEVICE_PROP_VALUE, name), expect()));
    fail(0x1015, d -> new Outcome(d.h.tx(OperationCode.GET_DEVICE_PROP_VALUE, 0x5FFE), expect()));
    ok(0x1016, d -> new Outcome(d.h.send(OperationCode.SET_DEVICE_PROP_VALUE, TestHost.encode(PropertyValue.str("Mine")), name), expect()));
    fail(0x1016, d -> new Outcome(d.h.send(OperationCode.SET_DEVICE_PROP_VALUE, TestHost.encode(PropertyValue.str("x")), 0x5FFE), expect()));
    ok(0x1017, d -> new Outcome(d.h.tx(OperationCode.RESET_DEVICE_PROP_VALUE, name), expect()));
    fail(0x1017, d -> new Outcome(d.h.tx(OperationCode.RESET_DEVICE_PROP_VALUE, 0x5FFE), expect()));
    ok(0x1019, d -> new Outcome(d.h.tx(OperationCode.MOVE_OBJECT, d.handle("a.txt"), STORAGE_1, d.handle("docs")), expect()));
    fail(0x1019, d -> new Outcome(d.h.tx(OperationCode.MOVE_OBJECT, bad, STORAGE_1, 0), expect()));
    ok(0x101A, d -> new Outcome(d.h.tx(OperationCode.COPY_OBJECT, d.handle("a.txt"), STORAGE_1, d.handle("docs")),
        expect(Meaning.NEW_HANDLE, d.names("a.txt"))));
    fail(0x101A, d -> new Outcome(d.h.tx(OperationCode.COPY_OBJECT, d.handle("a.txt"), STORAGE_1, 0), expect())); // a.txt exists there
    ok(0x101B, d -> new Outcome(d.h.tx(OperationCode.GET_PARTIAL_OBJECT, d.handle("a.txt"), 2, 100), expect(Meaning.BYTES_SENT, 5)));
    fail(0x101B, d -> new Outcome(d.h.tx(OperationCode.GET_PARTIAL_OBJECT, bad, 0, 1), expect()));
    int undefined = ObjectFormat.UNDEFINED.value();
    ok(0x9801, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_PROPS_SUPPORTED, undefined), expect()));
    fail(0x9801, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_PROPS_SUPPORTED, 0x1234), expect()));
    int size = ObjectPropertyCode.OBJECT_SIZE.value();
    int fileName = ObjectPropertyCode.OBJECT_FILE_NAME.value();
    ok(0x9802, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_PROP_DESC, size, undefined), expect()));
    fail(0x9802, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_PROP_DESC, 0xDFFE, undefined), expect()));
    ok(0x9803, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_PROP_VALUE, d.handle("a.txt"), size), expect()));
    fail(0x9803, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_PROP_VALUE, bad, size), expect()));
    ok(0x9804, d -> new Outcome(d.h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("b.txt")), d.handle("a.txt"), fileName), expect()));
    fail(0x9804, d -> new Outcome(d.h.send(OperationCode.SET_OBJECT_PROP_VALUE, TestHost.encode(PropertyValue.str("b.txt")), bad, fileName), expect()));
    ok(0x9805, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_PROP_LIST, d.handle("a.txt"), 0, 0xFFFFFFFF, 0, 0), expect()));
    fail(0x9805, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_PROP_LIST, bad, 0, 0xFFFFFFFF, 0, 0), expect()));
    ok(0x9806, d -> new Outcome(d.h.send(OperationCode.SET_OBJECT_PROP_LIST,
        propList(new ObjectPropList.Element(d.handle("a.txt"), fileName, PropertyValue.str("b.txt"))), 0), expect()));
    // The second element fails (unknown handle): index 1, and the first was applied.
    fail(0x9806, d -> new Outcome(d.h.send(OperationCode.SET_OBJECT_PROP_LIST, propList(
        new ObjectPropList.Element(d.handle("a.txt"), fileName, PropertyValue.str("b.txt")),
        new ObjectPropList.Element(bad, fileName, PropertyValue.str("c.txt")))), expect(Meaning.FAILED_INDEX, 1)));
    // A dataset that cannot be read: no element could be set, index 0.
    fail(0x9806, d -> new Outcome(d.h.send(OperationCode.SET_OBJECT_PROP_LIST, new byte[] {5, 0, 0, 0, 1}), expect(Meaning.FAILED_INDEX, 0)));
    // SendObjectPropList: the host creates an empty file in the root this way.
    ok(0x9808, d -> new Outcome(d.h.send(OperationCode.SEND_OBJECT_PROP_LIST, propList(name("new.txt")), STORAGE_1, 0xFFFFFFFF, undefined, 0, 0),
        expect(Meaning.STORAGE_ID, STORAGE_1, Meaning.PARENT_HANDLE, 0xFFFFFFFF, Meaning.NEW_HANDLE, d.names("new.txt"))));
    ok(0x9808, d -> {
      int docs = d.handle("docs");
      return new Outcome(d.h.send(OperationCode.SEND_OBJECT_PROP_LIST, propList(name("n.txt")), STORAGE_1, docs, undefined, 0, 3),
          expect(Meaning.STORAGE_ID, STORAGE_1, Meaning.PARENT_HANDLE, docs, Meaning.NEW_HANDLE, d.namesAfterSend("n.txt", "abc")));
    });
    // The second element has the wrong data type: index 1.
    fail(0x9808, d -> new Outcome(d.h.send(OperationCode.SEND_OBJECT_PROP_LIST, propList(name("n.txt"),
        new ObjectPropList.Element(0, ObjectPropertyCode.DATE_MODIFIED.value(), PropertyValue.uint32(3))), STORAGE_1, 0xFFFFFFFF, undefined, 0, 1),
        expect(Meaning.FAILED_INDEX, 1)));
    // A failure that is no element's fault (the parent does not exist): index 0.
    fail(0x9808, d -> new Outcome(d.h.send(OperationCode.SEND_OBJECT_PROP_LIST, propList(name("n.txt")), STORAGE_1, bad, undefined, 0, 1),
        expect(Meaning.FAILED_INDEX, 0)));
    // The name is taken: the element naming the object (index 0 here, after nothing) is at fault.
    fail(0x9808, d -> new Outcome(d.h.send(OperationCode.SEND_OBJECT_PROP_LIST, propList(name("a.txt")), STORAGE_1, 0xFFFFFFFF, undefined, 0, 1),
        expect(Meaning.FAILED_INDEX, 0)));
    // The name (element 1, after a date) is taken: element 1 is at fault.
    fail(0x9808, d -> new Outcome(d.h.send(OperationCode.SEND_OBJECT_PROP_LIST, propList(
        new ObjectPropList.Element(0, ObjectPropertyCode.DATE_MODIFIED.value(), PropertyValue.str("20240101T000000")), name("a.txt")),
        STORAGE_1, 0xFFFFFFFF, undefined, 0, 1), expect(Meaning.FAILED_INDEX, 1)));
    ok(0x9810, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_REFERENCES, d.handle("a.txt")), expect()));
    fail(0x9810, d -> new Outcome(d.h.tx(OperationCode.GET_OBJECT_REFERENCES, bad), expect()));
    ok(0x9811, d -> {
      ByteBuf refs = Unpooled.buffer();
      PtpArrays.writeUint32Array(new int[] {d.handle("docs")}, refs);
      return new Outcome(d.h.send(OperationCode.SET_OBJECT_REFERENCES, TestHost.bytes(refs), d.handle("a.txt")), expect());
    });
    fail(0x9811, d -> {
      ByteBuf refs = Unpooled.buffer();
      PtpArrays.writeUint32Array(new int[0], refs);
      return new Outcome(d.h.send(OperationCode.SET_OBJECT_REFERENCES, TestHost.bytes(refs), bad), expect());
    });
    ok(0x95C1, d -> new Outcome(d.h.tx(OperationCode.GET_PARTIAL_OBJECT64, d.handle("a.txt"), 5, 0, 100), expect(Meaning.BYTES_SENT, 2)));
    fail(0x95C1, d -> new Outcome(d.h.tx(OperationCode.GET_PARTIAL_OBJECT64, bad, 0, 0, 1), expect()));
    ok(0x95C2, d -> {
      int a = d.handle("a.txt");
      d.h.tx(OperationCode.BEGIN_EDIT_OBJECT, a);
      return new Outcome(d.h.send(OperationCode.SEND_PARTIAL_OBJECT, utf8("XYZ"), a, 1, 0, 3), expect(Meaning.BYTES_WRITTEN, 3));
    });
    fail(0x95C2, d -> new Outcome(d.h.send(OperationCode.SEND_PARTIAL_OBJECT, utf8("XYZ"), d.handle("a.txt"), 1, 0, 3), expect())); // no edit open
    ok(0x95C3, d -> {
      int a = d.handle("a.txt");
      d.h.tx(OperationCode.BEGIN_EDIT_OBJECT, a);
      return new Outcome(d.h.tx(OperationCode.TRUNCATE_OBJECT, a, 2, 0), expect());
    });
    fail(0x95C3, d -> new Outcome(d.h.tx(OperationCode.TRUNCATE_OBJECT, d.handle("a.txt"), 2, 0), expect()));
    ok(0x95C4, d -> new Outcome(d.h.tx(OperationCode.BEGIN_EDIT_OBJECT, d.handle("a.txt")), expect()));
    fail(0x95C4, d -> new Outcome(d.h.tx(OperationCode.BEGIN_EDIT_OBJECT, d.handle("docs")), expect())); // a folder
    ok(0x95C5, d -> {
      int a = d.handle("a.txt");
      d.h.tx(OperationCode.BEGIN_EDIT_OBJECT, a);
      return new Outcome(d.h.tx(OperationCode.END_EDIT_OBJECT, a), expect());
    });
    fail(0x95C5, d -> new Outcome(d.h.tx(OperationCode.END_EDIT_OBJECT, d.handle("a.txt")), expect()));
  }

  @Test
  void everyServedOperationHasASpecRowAndScenarios() {
    List<Integer> served = StandardOperations.all().stream().map(OperationHandler::operationCode).sorted().toList();
    List<Integer> rows = SpecResponseParameters.ROWS.stream().map(Row::code).sorted().toList();
    assertEquals(served, rows, "the spec table lists exactly the operations served");
    for (int code : served) {
      assertTrue(OK.containsKey(code), () -> String.format("no success scenario for 0x%04X", code));
      if (code != 0x1001) assertTrue(FAIL.containsKey(code), () -> String.format("no failure scenario for 0x%04X", code));
    }
  }

  /**
   * The parent SendObjectInfo and SendObjectPropList answer follows the spec's sentence for this
   * response parameter: the handle of the folder the object becomes a child of, 0xFFFFFFFF when it
   * is stored in the root of the store, whether the host named the root 0xFFFFFFFF or 0; the new
   * object's ObjectInfo still gives ParentObject 0 in the root (PTP's rule for that field).
   */
  @Test
  void answeredParentIsTheSpecsRootOrTheFolder() throws Exception {
    try (Device d = new Device(Files.createTempDirectory(tmp, "d"))) {
      int docs = d.handle("docs");
      int n = 0;
      for (int parent : new int[] {0xFFFFFFFF, 0, docs}) {
        int answered = parent == docs ? docs : 0xFFFFFFFF;
        int inInfo = parent == docs ? docs : 0;
        String a = "info-" + n + ".txt";
        int[] p = d.h.send(OperationCode.SEND_OBJECT_INFO, Fixtures.fileInfo(a, 0), STORAGE_1, parent).response().params();
        assertEquals(answered, p[1], a);
        assertEquals(inInfo, d.info(p[2]).parentObject(), a);
        String b = "list-" + n++ + ".txt";
        p = d.h.send(OperationCode.SEND_OBJECT_PROP_LIST, propList(name(b)), STORAGE_1, parent, ObjectFormat.UNDEFINED.value(), 0, 0)
            .response().params();
        assertEquals(answered, p[1], b);
        assertEquals(inInfo, d.info(p[2]).parentObject(), b);
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> responseParametersAreTheSpecs() {
    List<DynamicTest> tests = new ArrayList<>();
    int n = 0;
    for (Row row : SpecResponseParameters.ROWS) {
      for (Scenario ok : OK.getOrDefault(row.code(), List.of())) {
        tests.add(dynamicTest(String.format("0x%04X %s OK %d", row.code(), row.name(), ++n), () -> check(row, ok, true)));
      }
      for (Scenario f : FAIL.getOrDefault(row.code(), List.of())) {
        tests.add(dynamicTest(String.format("0x%04X %s failure %d", row.code(), row.name(), ++n), () -> check(row, f, false)));
      }
    }
    // OpenSession while a session is open: Session_Already_Open with the open SessionID.
    tests.add(dynamicTest("0x1002 OpenSession Session_Already_Open", () -> {
      Path dir = Files.createTempDirectory(tmp, "d");
      try (Device d = new Device(dir)) {
        LoopbackExchange x = d.h.link.transact(OperationCode.OPEN_SESSION.value(), 0, 2);
        assertEquals(ResponseCode.SESSION_ALREADY_OPEN.value(), x.code());
        assertParams(SpecResponseParameters.BY_CODE.get(0x1002).sessionAlreadyOpen(), expect(Meaning.OPEN_SESSION_ID, 1), x, "Session_Already_Open");
      }
    }));
    return tests.stream();
  }

  private void check(Row row, Scenario scenario, boolean success) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "d");
    try (Device d = new Device(dir)) {
      Outcome o = scenario.run(d);
      LoopbackExchange x = o.exchange();
      String what = String.format("0x%04X %s answered %s", row.code(), row.name(), ResponseCode.nameOf(x.code()));
      if (success) {
        assertEquals(ResponseCode.OK.value(), x.code(), what);
        assertParams(row.ok(), o.expected(), x, what);
      } else {
        assertNotEquals(ResponseCode.OK.value(), x.code(), what + " where a failure was provoked");
        assertParams(row.failure(), o.expected(), x, what);
      }
    }
  }

  private static void assertParams(List<Meaning> spec, Map<Meaning, IntPredicate> expected, LoopbackExchange x, String what) {
    int[] got = x.response().params();
    assertEquals(spec.size(), got.length, () -> what + ": spec defines " + spec + ", got " + Arrays.toString(got));
    for (int i = 0; i < spec.size(); i++) {
      Meaning m = spec.get(i);
      IntPredicate p = expected.get(m);
      assertNotNull(p, what + ": the scenario does not say what " + m + " should be");
      int v = got[i];
      int index = i + 1;
      assertTrue(p.test(v), () -> String.format("%s: parameter %d (%s) is 0x%08X; got %s", what, index, m, v, Arrays.toString(got)));
    }
  }
}
