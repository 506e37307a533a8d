package io.mtpbridge.sim.e2e;

import static io.mtpbridge.sim.e2e.Objects.*;
import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.host.MtpCancelledException;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.host.Transaction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class request Cancel at every phase of a transaction, both directions: the device drops the
 * data phase, sends no response, leaves no partial object, and the session carries on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CancelTest {
  private static final int ROOT = MtpInitiator.ROOT_PARENT;
  private static final int BIG = 4 * 1024 * 1024;
  @TempDir Path tmp;
  private SimFixture f;
  private MtpInitiator host;
  private int storage;

  @BeforeEach
  void connect() throws Exception {
    f = new SimFixture(tmp);
    host = f.host;
    storage = host.getStorageIds()[0];
  }

  @AfterEach
  void disconnect() {
    f.close();
  }

  private void sessionStillWorks() throws IOException {
    byte[] probe = random(7000, 99);
    int h = upload(host, storage, ROOT, "probe-" + System.nanoTime(), probe);
    assertArrayEquals(probe, download(host, h));
    host.deleteObject(h);
  }

  @Test
  void cancelBeforeGetObjectData() throws Exception {
    byte[] data = random(BIG, 1);
    int h = upload(host, storage, ROOT, "big.bin", data);
    Transaction t = host.begin(OperationCode.GET_OBJECT.value(), h);
    t.cancel();
    sessionStillWorks();
    assertArrayEquals(data, download(host, h));
  }

  @Test
  void cancelDuringGetObjectData() throws Exception {
    byte[] data = random(BIG, 2);
    int h = upload(host, storage, ROOT, "big.bin", data);
    Transaction t = host.begin(OperationCode.GET_OBJECT.value(), h);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    WritableByteChannel sink = new WritableByteChannel() {
      final WritableByteChannel out = Channels.newChannel(got);
      @Override public int write(ByteBuffer src) throws IOException {
        t.requestCancel();
        return out.write(src);
      }
      @Override public boolean isOpen() { return true; }
      @Override public void close() {}
    };
    assertThrows(MtpCancelledException.class, () -> t.receiveData(sink));
    assertTrue(got.size() < data.length, "the transfer stopped early");
    sessionStillWorks();
    assertArrayEquals(data, download(host, h));
  }

  @Test
  void cancelAfterGetObjectDataBeforeResponse() throws Exception {
    byte[] data = random(100_000, 3);
    int h = upload(host, storage, ROOT, "small.bin", data);
    Transaction t = host.begin(OperationCode.GET_OBJECT.value(), h);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    t.receiveData(Channels.newChannel(got));
    t.cancel();
    sessionStillWorks();
    assertArrayEquals(data, got.toByteArray());
  }

  @Test
  void cancelBeforeSendObjectData() throws Exception {
    host.sendObjectInfo(storage, ROOT, fileInfo(storage, ROOT, "up.bin", BIG));
    Transaction t = host.begin(OperationCode.SEND_OBJECT.value());
    t.cancel();
    sessionStillWorks();
    assertEquals(List.of(), f.filesOnDevice(), "no partial or temporary file");
  }

  @Test
  void cancelDuringSendObjectData() throws Exception {
    byte[] data = random(BIG, 4);
    host.sendObjectInfo(storage, ROOT, fileInfo(storage, ROOT, "up.bin", data.length));
    Transaction t = host.begin(OperationCode.SEND_OBJECT.value());
    ReadableByteChannel src = new ReadableByteChannel() {
      final ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(data));
      long sent;
      @Override public int read(ByteBuffer dst) throws IOException {
        if (sent > BIG / 4) t.requestCancel();
        int n = in.read(dst);
        if (n > 0) sent += n;
        return n;
      }
      @Override public boolean isOpen() { return true; }
      @Override public void close() {}
    };
    assertThrows(MtpCancelledException.class, () -> t.sendData(src, data.length));
    sessionStillWorks();
    assertEquals(List.of(), f.filesOnDevice(), "no partial or temporary file");
  }

  @Test
  void cancelAfterSendObjectDataBeforeResponse() throws Exception {
    byte[] data = random(300_000, 5);
    host.sendObjectInfo(storage, ROOT, fileInfo(storage, ROOT, "up.bin", data.length));
    Transaction t = host.begin(OperationCode.SEND_OBJECT.value());
    t.sendData(Channels.newChannel(new ByteArrayInputStream(data)), data.length);
    t.cancel();
    sessionStillWorks();
    List<String> files = f.filesOnDevice();
    // All bytes arrived before the cancel: the object is either complete or absent, never partial.
    if (!files.isEmpty()) {
      assertEquals(List.of("up.bin"), files);
      assertArrayEquals(data, Files.readAllBytes(f.rw.resolve("up.bin")));
    }
  }

  @Test
  void cancelOfADatasetOperation() throws Exception {
    for (int i = 0; i < 5; i++) upload(host, storage, ROOT, "f" + i, new byte[i]);
    Transaction t = host.begin(OperationCode.GET_OBJECT_PROP_LIST.value(), 0xFFFFFFFF, 0, 0xFFFFFFFF, 0, 1);
    t.cancel();
    sessionStillWorks();
    assertEquals(5, host.getObjectHandles(storage, 0, ROOT).length);
  }

  /**
   * CopyObject of a tree has no data phase: the Cancel class request still stops it between files
   * (no response, no partial file), through the real USB framing of the simulated device.
   */
  @Test
  void cancelOfACopyOfATree() throws Exception {
    Path album = Files.createDirectories(f.rw.resolve("album"));
    for (int i = 0; i < 400; i++) Files.write(album.resolve("t" + i + ".bin"), new byte[64 * 1024]);
    Files.createDirectories(f.rw.resolve("copies"));
    int albumHandle = 0;
    int copies = 0;
    for (int h : host.getObjectHandles(storage, 0, ROOT)) {
      String name = host.objectInfo(h).filename();
      if (name.equals("album")) albumHandle = h;
      if (name.equals("copies")) copies = h;
    }
    Transaction t = host.begin(OperationCode.COPY_OBJECT.value(), albumHandle, storage, copies);
    t.cancel();
    sessionStillWorks();
    // the copy of "album" lands next to it: incomplete (or not started), no temporary file
    long copied;
    try (java.util.stream.Stream<Path> s = Files.walk(f.rw)) {
      copied = s.filter(Files::isRegularFile).count() - 400;
    }
    assertTrue(copied < 400, "the copy stopped early: " + copied + " files copied");
    assertEquals(List.of(), f.filesOnDevice().stream().filter(n -> n.contains(".mtpbridge-upload-")).toList());
  }
}
