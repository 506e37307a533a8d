package io.mtpbridge.sim.usbip;

import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.host.MtpCancelledException;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.host.Transaction;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole device over the USB/IP server: MTP through URBs on TCP, detach and re-attach, a second host. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UsbIpMtpTest {
  private static final int ROOT = MtpInitiator.ROOT_PARENT;
  @TempDir Path tmp;
  private ExportedSim exported;
  private UsbIpServer server;
  private InetSocketAddress address;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    exported = new ExportedSim(tmp, "SIM-USBIP-1");
    server = exported.server;
    address = exported.address;
    dir = exported.dir;
  }

  @AfterEach
  void stop() throws IOException {
    exported.close();
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static int upload(MtpInitiator host, int storage, String name, byte[] data) throws IOException {
    int[] r = host.sendObjectInfo(storage, ROOT, ObjectInfo.builder().storageId(storage).objectFormat(0x3000)
        .parentObject(ROOT).size(data.length).filename(name).build());
    host.sendObject(Channels.newChannel(new ByteArrayInputStream(data)), data.length);
    return r[2];
  }

  private static byte[] download(MtpInitiator host, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    host.getObject(h, Channels.newChannel(out));
    return out.toByteArray();
  }

  @Test
  void mtpOverUsbIpMovesEveryInterestingSizeByteForByte() throws Exception {
    try (UsbIpClient link = UsbIpClient.attach(address, "1-1", true)) {
      MtpInitiator host = new MtpInitiator(link, 5000, 64 * 1024);
      assertEquals("SIM-USBIP-1", host.deviceInfo().serialNumber());
      host.openSession(1);
      int storage = host.getStorageIds()[0];
      for (int n : new int[] {0, 1, 500, 511, 512, 513, 65536, 16 * 1024 * 1024 + 1}) {
        byte[] data = random(n);
        int h = upload(host, storage, "f" + n, data);
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("f" + n)), "upload " + n);
        assertArrayEquals(data, download(host, h), "download " + n);
      }
      host.closeSession();
    }
  }

  @Test
  void cancelOverUsbIpThenTheSessionContinues() throws Exception {
    try (UsbIpClient link = UsbIpClient.attach(address, "1-1", true)) {
      MtpInitiator host = new MtpInitiator(link, 5000, 64 * 1024);
      host.openSession(1);
      int storage = host.getStorageIds()[0];
      byte[] data = random(8 * 1024 * 1024);
      int h = upload(host, storage, "big", data);
      Transaction t = host.begin(OperationCode.GET_OBJECT.value(), h);
      WritableByteChannel stopper = new WritableByteChannel() {
        @Override public int write(ByteBuffer src) {
          t.requestCancel();
          int n = src.remaining();
          src.position(src.limit());
          return n;
        }
        @Override public boolean isOpen() { return true; }
        @Override public void close() {}
      };
      assertThrows(MtpCancelledException.class, () -> t.receiveData(stopper));
      assertArrayEquals(data, download(host, h));
      assertNull(link.failure());
    }
  }

  @Test
  void detachReattachAndASecondHost() throws Exception {
    byte[] data = random(100_000);
    UsbIpClient first = UsbIpClient.attach(address, "1-1", true);
    MtpInitiator host = new MtpInitiator(first, 5000, 64 * 1024);
    host.openSession(1);
    int storage = host.getStorageIds()[0];
    host.sendObjectInfo(storage, ROOT, ObjectInfo.builder().storageId(storage).objectFormat(0x3000)
        .parentObject(ROOT).size(data.length).filename("half").build());
    Transaction t = host.begin(OperationCode.SEND_OBJECT.value());
    first.bulkOut(ByteBuffer.wrap(new byte[4096]), false, 2000); // a partial data phase, then the host vanishes
    first.close();
    long deadline = System.currentTimeMillis() + 60_000;
    while (server.isImported() && System.currentTimeMillis() < deadline) Thread.sleep(10);
    for (int round = 0; round < 2; round++) {
      try (UsbIpClient next = UsbIpClient.attach(address, "1-1", true)) {
        MtpInitiator h2 = new MtpInitiator(next, 5000, 64 * 1024);
        h2.openSession(1);
        assertFalse(Files.exists(dir.resolve("half")), "no partial object after the detach");
        int h = upload(h2, storage, "whole" + round, data);
        assertArrayEquals(data, download(h2, h));
      }
      deadline = System.currentTimeMillis() + 60_000;
      while (server.isImported() && System.currentTimeMillis() < deadline) Thread.sleep(10);
    }
    try (var files = Files.list(dir)) {
      assertEquals(List.of("whole0", "whole1"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
    }
  }
}
