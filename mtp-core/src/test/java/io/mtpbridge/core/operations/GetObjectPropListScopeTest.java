package io.mtpbridge.core.operations;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GetObjectPropList's handle and depth parameters, case by case, answered as Android's responder
 * answers them (MtpDatabase.getObjectPropertyList): two storages, root objects in both, a folder
 * with a child.
 */
class GetObjectPropListScopeTest {
  private static final int ALL = 0xFFFFFFFF;
  private static final int NAME = ObjectPropertyCode.OBJECT_FILE_NAME.value();
  @TempDir Path one;
  @TempDir Path two;
  TestHost h;
  int a, b, docs, c, d;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(one.resolve("a.txt"), "a");
    Files.write(one.resolve("b.jpg"), new byte[] {1, 2, 3});
    Files.createDirectory(one.resolve("docs"));
    Files.writeString(one.resolve("docs/c.txt"), "c");
    Files.writeString(two.resolve("d.txt"), "d");
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .addStorage(new FileSystemStorage("One", one, false))
        .addStorage(new FileSystemStorage("Two", two, false))
        .build();
    h = new TestHost(r);
    h.open();
    int[] roots1 = h.handles(0x00010001, 0, ALL);
    int[] roots2 = h.handles(0x00020001, 0, ALL);
    a = byName(roots1, "a.txt");
    b = byName(roots1, "b.jpg");
    docs = byName(roots1, "docs");
    d = byName(roots2, "d.txt");
    c = h.handles(0, 0, docs)[0];
  }

  @AfterEach
  void stop() throws Exception { h.close(); }

  private int byName(int[] handles, String name) throws IOException {
    for (int x : handles) if (name(x).equals(name)) return x;
    throw new AssertionError(name + " not listed");
  }

  private String name(int handle) throws IOException {
    return io.mtpbridge.core.dataset.ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, handle))).filename();
  }

  /** The handles the list names, in order (one property each). */
  private List<Integer> list(int handle, int format, int depth) throws IOException {
    ObjectPropList l = ObjectPropList.decode(h.ok(h.tx(OperationCode.GET_OBJECT_PROP_LIST, handle, format, NAME, 0, depth)));
    List<Integer> out = new ArrayList<>();
    for (ObjectPropList.Element e : l.elements()) out.add(e.objectHandle());
    return out;
  }

  private static List<Integer> sorted(List<Integer> l) {
    List<Integer> s = new ArrayList<>(l);
    s.sort(Integer::compareUnsigned);
    return s;
  }

  private List<Integer> rootChildren() { return sorted(List.of(a, b, docs, d)); }

  private List<Integer> everything() { return sorted(List.of(a, b, docs, c, d)); }

  @Test void handle0Depth0IsTheRootChildren() throws Exception {
    assertEquals(rootChildren(), sorted(list(0, 0, 0)));
  }

  @Test void handle0Depth1IsTheRootChildren() throws Exception {
    assertEquals(rootChildren(), sorted(list(0, 0, 1)));
  }

  @Test void handle0DepthAllIsEveryObject() throws Exception {
    assertEquals(everything(), sorted(list(0, 0, ALL)));
  }

  @Test void handleAllDepth0IsEveryObject() throws Exception {
    assertEquals(everything(), sorted(list(ALL, 0, 0)));
  }

  @Test void handleAllDepth1IsTheRootChildren() throws Exception {
    assertEquals(rootChildren(), sorted(list(ALL, 0, 1)));
  }

  @Test void handleAllDepthAllIsEveryObject() throws Exception {
    assertEquals(everything(), sorted(list(ALL, 0, ALL)));
  }

  @Test void anObjectAtDepth0IsThatObject() throws Exception {
    assertEquals(List.of(a), list(a, 0, 0));
    assertEquals(List.of(docs), list(docs, 0, 0));
  }

  @Test void aFolderAtDepth1IsItsChildrenThenItself() throws Exception {
    assertEquals(List.of(c, docs), list(docs, 0, 1));
  }

  @Test void aFileAtDepth1IsInvalidObjectHandle() throws Exception {
    expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_PROP_LIST, a, 0, NAME, 0, 1));
  }

  @Test void anObjectAtDepthAllIsSpecificationByDepthUnsupported() throws Exception {
    expect(ResponseCode.SPECIFICATION_BY_DEPTH_UNSUPPORTED, h.tx(OperationCode.GET_OBJECT_PROP_LIST, docs, 0, NAME, 0, ALL));
  }

  @Test void otherDepthsAreSpecificationByDepthUnsupported() throws Exception {
    for (int handle : new int[] {0, ALL, docs}) {
      expect(ResponseCode.SPECIFICATION_BY_DEPTH_UNSUPPORTED, h.tx(OperationCode.GET_OBJECT_PROP_LIST, handle, 0, NAME, 0, 2));
    }
  }

  @Test void anUnknownHandleIsInvalidObjectHandle() throws Exception {
    expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_PROP_LIST, 0x7777, 0, NAME, 0, 0));
    expect(ResponseCode.INVALID_OBJECT_HANDLE, h.tx(OperationCode.GET_OBJECT_PROP_LIST, 0x7777, 0, NAME, 0, 1));
  }

  @Test void theFormatFilterAppliesToTheObjectItselfToo() throws Exception {
    int text = ObjectFormat.TEXT.value();
    assertEquals(List.of(c), list(docs, text, 1), "the folder is not text");
    assertEquals(List.of(docs), list(docs, ObjectFormat.ASSOCIATION.value(), 1));
    assertEquals(List.of(), list(a, ObjectFormat.EXIF_JPEG.value(), 0));
    assertEquals(List.of(b), list(0, ObjectFormat.EXIF_JPEG.value(), 0));
    assertEquals(sorted(List.of(a, c, d)), sorted(list(ALL, text, ALL)));
  }
}
