package io.mtpbridge.sim.usbip;

import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.sim.udc.VirtualUdc;
import io.mtpbridge.usb.function.ControlReply;
import io.mtpbridge.usb.function.ControlRequest;
import io.mtpbridge.usb.function.UsbFunctionListener;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.Size;

/** Garbage from a host ends that host's connection and nothing else: the server keeps serving. */
class UsbIpServerFuzzTest {
  private static UsbIpServer server;
  private static InetSocketAddress address;

  @BeforeContainer
  static void start() throws Exception {
    VirtualUdc udc = new VirtualUdc(UsbDeviceIdentity.defaults("MTP Bridge", "Simulated device", "SIM0001"), UsbSpeed.HIGH);
    udc.start(new UsbFunctionListener() {
      @Override public void onEnable(UsbSpeed speed, int mp) {}
      @Override public void onDisable() {}
      @Override public void onSuspend() {}
      @Override public void onResume() {}
      @Override public void onUnbind() {}
      @Override public ControlReply onControlRequest(ControlRequest r) { return ControlReply.stall(); }
    });
    server = new UsbIpServer(new ExportedDevice(udc, "1-1"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    server.start();
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
  }

  @AfterContainer
  static void stop() throws Exception {
    server.close();
  }

  @Property(tries = 150)
  void arbitraryUrbTrafficAfterImportNeverBreaksTheServer(@ForAll @Size(max = 400) byte[] garbage) throws Exception {
    UsbIpClient c = UsbIpClient.attach(address, "1-1", true);
    c.sendRaw(garbage);
    c.close();
    waitReleased();
    assertEquals(java.util.List.of("1-1"), UsbIpClient.deviceList(address));
  }

  @Property(tries = 150)
  void arbitraryOperationRequestsAreRefusedCleanly(@ForAll @Size(max = 80) byte[] garbage) throws Exception {
    try (Socket s = new Socket(address.getAddress(), address.getPort())) {
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write(garbage);
      s.shutdownOutput();
      s.getInputStream().readAllBytes();
    }
    waitReleased();
    try (UsbIpClient c = UsbIpClient.attach(address, "1-1", true)) {
      assertEquals(4, c.control(0x80, 0, 0, 0, ByteBuffer.allocate(2), 2000) + 2);
    }
    waitReleased();
  }

  @Property(tries = 300)
  void arbitraryControlRequestsAlwaysComplete(@ForAll @Size(value = 8) byte[] setup, @ForAll @Size(max = 64) byte[] outData) throws Exception {
    try (UsbIpClient c = UsbIpClient.attach(address, "1-1", true)) {
      boolean in = (setup[0] & 0x80) != 0;
      int wLength = (setup[6] & 0xFF) | (setup[7] & 0xFF) << 8;
      int length = in ? Math.min(wLength, 4096) : outData.length;
      UsbIpClient.Ret r = c.submit(0, in, 0, length, setup, in ? null : outData).result().get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(r.status() == 0 || r.status() < 0, "status is 0 or a negative errno");
      assertTrue(r.actual() >= 0 && r.actual() <= length, "actual length within the URB");
      // ep0 still answers afterwards
      assertEquals(18, c.control(0x80, 6, 0x0100, 0, ByteBuffer.allocate(18), 2000));
    }
    waitReleased();
  }

  private static void waitReleased() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (server.isImported() && System.currentTimeMillis() < deadline) Thread.sleep(2);
    assertFalse(server.isImported(), "the device was not released after the host went away");
  }
}
