package io.mtpbridge.device;

import static io.mtpbridge.usb.mtp.Containers.command;
import static io.mtpbridge.usb.mtp.Containers.u16;
import static io.mtpbridge.usb.mtp.Containers.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.usb.mtp.Containers;
import io.mtpbridge.usb.mtp.FakeUsbFunction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole device as mtpd wires it (responder, file-system storage, USB framing) driven through
 * a packet-exact fake USB function, the way a host drives it through FunctionFS.
 */
@Timeout(30)
class MtpDeviceTest {
  private static final int OK = 0x2001;
  @TempDir Path root;
  private FakeUsbFunction usb;
  private MtpDevice device;
  private Thread serving;

  @BeforeEach void startDevice() throws Exception {
    Files.writeString(root.resolve("hello.txt"), "hello from the device\n");
    MtpdOptions options = new MtpdOptions(Path.of("/unused"), List.of(new StorageSpec("Internal", root, false)),
        "Acme", "Gadget", "SN-TEST", "1.0", null, null, "info");
    List<FileSystemStorage> storages = DeviceStorages.open(options.storages());
    usb = new FakeUsbFunction(512, 1 << 16);
    device = new MtpDevice(options, storages, usb, List.of());
    device.start();
    usb.enable();
    serving = new Thread(device::serve, "test-serve");
    serving.start();
  }

  @AfterEach void stopDevice() throws Exception {
    device.stop();
    serving.join(5000);
    device.close();
  }

  private byte[] transact(int code, int tid, int... params) throws Exception {
    usb.hostSend(command(code, tid, params), true);
    return usb.hostReceiveTransfer();
  }

  private void openSession() throws Exception {
    byte[] r = transact(0x1002, 0, 1);
    assertEquals(3, u16(r, 4));
    assertEquals(OK, u16(r, 6));
  }

  private int storageId() throws Exception {
    byte[] data = transact(0x1004, 1);
    assertEquals(2, u16(data, 4));
    assertEquals(1, u32(data, 12));
    int id = u32(data, 16);
    assertEquals(OK, u16(usb.hostReceiveTransfer(), 6));
    return id;
  }

  /** SendObjectInfo for a file of {@code size} bytes in the root; returns the response. */
  private byte[] sendObjectInfo(int tid, int storage, String name, long size) throws Exception {
    usb.hostSend(command(0x100C, tid, storage, 0xFFFFFFFF), true);
    ByteBuf info = Unpooled.buffer();
    ObjectInfo.builder().storageId(storage).objectFormat(0x3000).size(size).filename(name).build().encode(info);
    byte[] payload = new byte[info.readableBytes()];
    info.readBytes(payload);
    usb.hostSend(Containers.data(0x100C, tid, payload), true);
    return usb.hostReceiveTransfer();
  }

  private List<String> names() throws Exception {
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test void hostListsAndDownloadsAFile() throws Exception {
    openSession();
    int storage = storageId();
    byte[] handles = transact(0x1007, 2, storage, 0, 0xFFFFFFFF);
    assertEquals(1, u32(handles, 12));
    int handle = u32(handles, 16);
    assertEquals(OK, u16(usb.hostReceiveTransfer(), 6));
    byte[] data = transact(0x1009, 3, handle);
    assertArrayEquals(Files.readAllBytes(root.resolve("hello.txt")), Arrays.copyOfRange(data, 12, data.length));
    assertEquals(OK, u16(usb.hostReceiveTransfer(), 6));
  }

  @Test void uploadArrivesWhole() throws Exception {
    openSession();
    int storage = storageId();
    byte[] payload = Containers.pattern(300_000, 5);
    assertEquals(OK, u16(sendObjectInfo(2, storage, "up.bin", payload.length), 6));
    usb.hostSend(command(0x100D, 3), true);
    usb.hostSend(Containers.data(0x100D, 3, payload), true);
    assertEquals(OK, u16(usb.hostReceiveTransfer(), 6));
    // named on the device once durable: at the latest by CloseSession's answer (mtp-core README)
    assertEquals(OK, u16(transact(0x1003, 4), 6));
    assertArrayEquals(payload, Files.readAllBytes(root.resolve("up.bin")));
  }

  @Test void stopDuringAnUploadLeavesNoPartialFile() throws Exception {
    openSession();
    int storage = storageId();
    byte[] payload = Containers.pattern(1_000_000, 6);
    assertEquals(OK, u16(sendObjectInfo(2, storage, "partial.bin", payload.length), 6));
    usb.hostSend(command(0x100D, 3), true);
    byte[] container = Containers.data(0x100D, 3, payload);
    usb.hostSend(Arrays.copyOf(container, 512 * 400), false); // the rest never comes
    Thread.sleep(300);
    device.stop(); // what SIGTERM does
    serving.join(10_000);
    assertTrue(!serving.isAlive(), "serve() returns after stop");
    assertTrue(device.awaitStopped(1, TimeUnit.SECONDS));
    assertEquals(List.of("hello.txt"), names(), "no partial upload and no temporary file remain");
  }

  @Test void disconnectDuringAnUploadThenTheNextHostIsServed() throws Exception {
    openSession();
    int storage = storageId();
    byte[] payload = Containers.pattern(1_000_000, 7);
    assertEquals(OK, u16(sendObjectInfo(2, storage, "cut.bin", payload.length), 6));
    usb.hostSend(command(0x100D, 3), true);
    usb.hostSend(Arrays.copyOf(Containers.data(0x100D, 3, payload), 512 * 400), false);
    Thread.sleep(300);
    usb.listener.onDisable(); // cable pulled
    long deadline = System.currentTimeMillis() + 60_000;
    while (!names().equals(List.of("hello.txt")) && System.currentTimeMillis() < deadline) Thread.sleep(50);
    assertEquals(List.of("hello.txt"), names(), "the partial upload is removed on disconnect");
    usb.enable(); // the next host
    openSession(); // a new session opens: the old one was closed by the disconnect
    assertEquals(storage, storageId());
  }
}
