package io.mtpbridge.core.operations;

import static io.mtpbridge.core.responder.TestHost.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.loopback.LoopbackExchange;
import io.mtpbridge.core.loopback.LoopbackRequest;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.TestHost;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CopyObject, MoveObject across storages and DeleteObject of a big tree have no data phase, yet
 * the host can cancel them (class request Cancel) or reset the device: they stop between files,
 * send no response, leave no partial file, and never lose the source of a move.
 */
class CancellableTreeOperationsTest {
  private static final int FILES = 30;
  @TempDir Path one;
  @TempDir Path two;
  TestHost h;
  int album;

  @BeforeEach
  void start() throws Exception {
    Path a = Files.createDirectories(one.resolve("album"));
    for (int i = 0; i < FILES; i++) Files.writeString(a.resolve("track" + i + ".mp3"), "music " + i);
    Files.write(Files.createDirectories(one.resolve("video")).resolve("big.bin"), new byte[3 * 1024 * 1024]);
    MtpResponder r = MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity("Test", "Unit", "1.0", "SERIAL1"))
        .addStorage(new FileSystemStorage("One", one, false))
        .addStorage(new FileSystemStorage("Two", two, false))
        .build();
    h = new TestHost(r);
    h.open();
    album = handleOf(0xFFFFFFFF, "album");
  }

  private int handleOf(int parent, String name) throws IOException {
    for (int x : h.handles(Fixtures.STORAGE_1, 0, parent)) {
      if (ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, x))).filename().equals(name)) return x;
    }
    throw new AssertionError(name + " not listed");
  }

  @AfterEach
  void stop() throws Exception { h.close(); }

  private static long count(Path dir) throws IOException {
    if (!Files.exists(dir)) return 0;
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  private static long temporaryFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".mtpbridge-upload-")).count();
    }
  }

  private LoopbackExchange cancelled(LoopbackExchange x) {
    assertTrue(x.cancelled(), "the transaction was cancelled");
    assertNull(x.response(), "no response to a cancelled transaction");
    h.assertClean();
    return x;
  }

  private void sessionGoesOn() throws IOException {
    expect(ResponseCode.OK, h.tx(OperationCode.GET_STORAGE_IDS));
  }

  @Test
  void copyObjectStopsBetweenFiles() throws Exception {
    cancelled(h.request(LoopbackRequest.of(OperationCode.COPY_OBJECT.value(), h.nextTid(), album, Fixtures.STORAGE_2, 0).cancelAtCheck(6)));
    long copied = count(two);
    assertTrue(copied < FILES, "the copy stopped early: " + copied + " of " + FILES);
    assertEquals(FILES, count(one.resolve("album")), "the source is untouched");
    assertEquals(0, temporaryFiles(two));
    sessionGoesOn();
  }

  @Test
  void copyObjectStopsWithinABigFile() throws Exception {
    int big = handleOf(handleOf(0xFFFFFFFF, "video"), "big.bin");
    cancelled(h.request(LoopbackRequest.of(OperationCode.COPY_OBJECT.value(), h.nextTid(), big, Fixtures.STORAGE_2, 0).cancelAtCheck(3)));
    assertEquals(0, count(two), "no partial copy of the file");
    sessionGoesOn();
  }

  @Test
  void moveObjectAcrossStoragesStopsAndKeepsTheSource() throws Exception {
    cancelled(h.request(LoopbackRequest.of(OperationCode.MOVE_OBJECT.value(), h.nextTid(), album, Fixtures.STORAGE_2, 0).cancelAtCheck(10)));
    assertEquals(FILES, count(one.resolve("album")), "nothing of the source was deleted");
    assertTrue(count(two) < FILES);
    assertEquals(0, temporaryFiles(two));
    sessionGoesOn();
  }

  @Test
  void deleteObjectStopsBetweenFiles() throws Exception {
    cancelled(h.request(LoopbackRequest.of(OperationCode.DELETE_OBJECT.value(), h.nextTid(), album, 0).cancelAtCheck(6)));
    long left = count(one.resolve("album"));
    assertTrue(left > 0 && left < FILES, "stopped part-way: " + left + " left");
    sessionGoesOn();
  }

  @Test
  void aDeviceResetEndsTheCopyAndTheSession() throws Exception {
    LoopbackExchange x = h.request(LoopbackRequest.of(OperationCode.COPY_OBJECT.value(), h.nextTid(), album, Fixtures.STORAGE_2, 0).resetAtCheck(6));
    assertTrue(x.reset());
    assertTrue(count(two) < FILES);
    assertEquals(0, temporaryFiles(two));
    expect(ResponseCode.SESSION_NOT_OPEN, h.tx(OperationCode.GET_STORAGE_IDS));
    h.open();
    sessionGoesOn();
  }
}
