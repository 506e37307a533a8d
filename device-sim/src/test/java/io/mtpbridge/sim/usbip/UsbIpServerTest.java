package io.mtpbridge.sim.usbip;

import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.sim.udc.VirtualUdc;
import io.mtpbridge.usb.function.ControlReply;
import io.mtpbridge.usb.function.ControlRequest;
import io.mtpbridge.usb.function.UsbFunctionListener;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UsbIpServerTest {
  private VirtualUdc udc;
  private UsbIpServer server;
  private InetSocketAddress address;
  private final List<String> calls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    udc = new VirtualUdc(UsbDeviceIdentity.defaults("MTP Bridge", "Simulated device", "SIM0001"), UsbSpeed.HIGH);
    udc.start(new UsbFunctionListener() {
      @Override public void onEnable(UsbSpeed speed, int mp) { calls.add("enable"); }
      @Override public void onDisable() { calls.add("disable"); }
      @Override public void onSuspend() {}
      @Override public void onResume() {}
      @Override public void onUnbind() {}
      @Override public ControlReply onControlRequest(ControlRequest r) {
        return r.request() == 0x67 ? ControlReply.data(ByteBuffer.wrap(new byte[] {4, 0, 1, 0x20})) : ControlReply.stall();
      }
    });
    server = new UsbIpServer(new ExportedDevice(udc, "1-1"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.start();
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void deviceListDescribesTheMtpDevice() throws Exception {
    assertEquals(List.of("1-1"), UsbIpClient.deviceList(address));
    ByteBuffer b = ByteBuffer.wrap(UsbIpClient.deviceListRaw(address));
    assertEquals(12 + UsbIpProtocol.DEVICE_STRUCT_SIZE + 4, b.remaining());
    assertEquals(0x0111, b.getShort(0));
    assertEquals(0x0005, b.getShort(2));
    assertEquals(1, b.getInt(8));
    int dev = 12;
    assertEquals(3, b.getInt(dev + 288 + 8), "high speed");
    assertEquals(0x1209, b.getShort(dev + 300) & 0xFFFF);
    assertEquals(1, b.get(dev + 311), "one interface");
    assertEquals(6, b.get(dev + 312));
    assertEquals(1, b.get(dev + 313));
    assertEquals(1, b.get(dev + 314));
  }

  @Test
  void importedDeviceEnumeratesAndKeepsPacketBoundaries() throws Exception {
    try (UsbIpClient c = UsbIpClient.attach(address, "1-1", true)) {
      assertTrue(calls.contains("enable"));
      assertEquals(512, c.bulkMaxPacket());
      udc.bulkIn().write(ByteBuffer.allocate(100));
      udc.bulkIn().write(ByteBuffer.allocate(200));
      assertEquals(100, c.bulkIn(ByteBuffer.allocate(4096), 10000));
      assertEquals(200, c.bulkIn(ByteBuffer.allocate(4096), 10000));
      udc.bulkIn().write(ByteBuffer.allocate(1024));
      udc.bulkIn().write(ByteBuffer.allocate(0));
      assertEquals(1024, c.bulkIn(ByteBuffer.allocate(1024), 10000));
      assertEquals(0, c.bulkIn(ByteBuffer.allocate(1024), 10000), "the owed ZLP is its own completion");
      c.bulkOut(ByteBuffer.allocate(512), true, 10000);
      assertEquals(512, udc.bulkOut().read(ByteBuffer.allocate(4096)));
      c.bulkOut(ByteBuffer.allocate(12), true, 10000);
      assertEquals(12, udc.bulkOut().read(ByteBuffer.allocate(4096)), "the ZLP ended the 512-byte transfer");
    }
  }

  @Test
  void anIdleInterruptUrbBlocksNothingAndItsUnlinkIsFinal() throws Exception {
    try (UsbIpClient c = UsbIpClient.attach(address, "1-1", true)) {
      UsbIpClient.Pending idle = c.submit(2, true, 0, 28, null, null);
      ByteBuffer status = ByteBuffer.allocate(20);
      assertEquals(4, c.control(0xA1, 0x67, 0, 0, status, 10000), "ep0 works while the event URB waits");
      udc.bulkIn().write(ByteBuffer.allocate(10));
      assertEquals(10, c.bulkIn(ByteBuffer.allocate(512), 10000), "bulk works while the event URB waits");
      assertFalse(idle.result().isDone());
      assertEquals(-104, c.unlink(idle.seqnum()).get(10, TimeUnit.SECONDS));
      // An event written now must go to the next URB, never to the unlinked one.
      udc.interruptIn().write(ByteBuffer.allocate(24));
      UsbIpClient.Pending next = c.submit(2, true, 0, 28, null, null);
      assertEquals(24, next.result().get(10, TimeUnit.SECONDS).actual());
      assertFalse(c.completedSeqnums.contains(idle.seqnum()));
      assertNull(c.failure());
    }
  }

  @Test
  void unlinkAfterCompletionAnswersZero() throws Exception {
    try (UsbIpClient c = UsbIpClient.attach(address, "1-1", true)) {
      udc.bulkIn().write(ByteBuffer.allocate(7));
      UsbIpClient.Pending p = c.submit(1, true, 0, 512, null, null);
      assertEquals(7, p.result().get(10, TimeUnit.SECONDS).actual());
      assertEquals(0, c.unlink(p.seqnum()).get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void shortReadMarkedShortNotOkCompletesWithRemoteIoError() throws Exception {
    try (UsbIpClient c = UsbIpClient.attach(address, "1-1", true)) {
      udc.bulkIn().write(ByteBuffer.allocate(100));
      UsbIpClient.Ret r = c.submit(1, true, UsbIpProtocol.URB_SHORT_NOT_OK, 1024, null, null).result().get(10, TimeUnit.SECONDS);
      assertEquals(-121, r.status());
      assertEquals(100, r.actual());
    }
  }

  @Test
  void urbsQueuedBehindAShortNotOkCompletionWaitForTheirUnlink() throws Exception {
    try (UsbIpClient c = UsbIpClient.attach(address, "1-1", true)) {
      udc.bulkIn().write(ByteBuffer.allocate(100)); // the end of one container...
      udc.bulkIn().write(ByteBuffer.allocate(50));  // ...and the next one
      // usbfs splits a big read into URBs marked short-not-OK and cancels the rest after a short one
      UsbIpClient.Pending first = c.submit(1, true, UsbIpProtocol.URB_SHORT_NOT_OK, 16384, null, null);
      UsbIpClient.Pending second = c.submit(1, true, UsbIpProtocol.URB_SHORT_NOT_OK, 16384, null, null);
      assertEquals(-121, first.result().get(10, TimeUnit.SECONDS).status());
      assertEquals(-104, c.unlink(second.seqnum()).get(10, TimeUnit.SECONDS), "the second URB took no data");
      assertEquals(50, c.bulkIn(ByteBuffer.allocate(16384), 10000), "the next container is intact");
    }
  }

  @Test
  void unknownEndpointStalls() throws Exception {
    try (UsbIpClient c = UsbIpClient.attach(address, "1-1", true)) {
      UsbIpClient.Ret r = c.submit(5, true, 0, 64, null, null).result().get(10, TimeUnit.SECONDS);
      assertEquals(-32, r.status());
    }
  }

  @Test
  void oneHostAtATimeAndTheNextAfterDetach() throws Exception {
    UsbIpClient first = UsbIpClient.attach(address, "1-1", true);
    IOException busy = assertThrows(IOException.class, () -> UsbIpClient.attach(address, "1-1", true));
    assertTrue(busy.getMessage().contains("status 2"), busy.getMessage());
    assertThrows(IOException.class, () -> UsbIpClient.attach(address, "9-9", true));
    first.close();
    long deadline = System.currentTimeMillis() + 60_000;
    while (server.isImported() && System.currentTimeMillis() < deadline) Thread.sleep(10);
    assertFalse(server.isImported());
    assertEquals("disable", calls.get(calls.size() - 1), "detach unplugs the device");
    try (UsbIpClient second = UsbIpClient.attach(address, "1-1", true)) {
      udc.bulkIn().write(ByteBuffer.allocate(3));
      assertEquals(3, second.bulkIn(ByteBuffer.allocate(512), 10000));
    }
  }

  @Test
  void listeningBeyondLoopbackIsWarnedAbout() throws Exception {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(UsbIpServer.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    try (UsbIpServer open = new UsbIpServer(new ExportedDevice(udc, "1-1"), new InetSocketAddress(0))) {
      open.start();
      assertTrue(seen.list.stream().anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
          && e.getFormattedMessage().contains("no authentication")), "a warning names the risk");
    } finally {
      logger.detachAppender(seen);
    }
    seen.list.clear();
    logger.addAppender(seen);
    try (UsbIpServer local = new UsbIpServer(new ExportedDevice(udc, "1-1"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      local.start();
      assertTrue(seen.list.isEmpty(), "loopback is quiet");
    } finally {
      logger.detachAppender(seen);
    }
  }

  @Test
  void beforeConfigurationBulkUrbsFailAsShutdown() throws Exception {
    try (UsbIpClient c = UsbIpClient.attach(address, "1-1", false)) {
      UsbTransferException e = assertThrows(UsbTransferException.class, () -> c.bulkIn(ByteBuffer.allocate(512), 10000));
      assertEquals(TransferStatus.DISCONNECTED, e.status());
    }
  }
}
