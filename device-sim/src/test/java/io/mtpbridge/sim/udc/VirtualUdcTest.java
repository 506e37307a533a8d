package io.mtpbridge.sim.udc;

import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import io.mtpbridge.usb.function.EndpointAbortedException;
import io.mtpbridge.usb.function.UsbSpeed;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VirtualUdcTest {
  private VirtualUdc udc;
  private VirtualHostPort host;
  private RecordingListener listener;

  @BeforeEach
  void plugIn() throws Exception {
    udc = new VirtualUdc(UsbDeviceIdentity.defaults("MTP Bridge", "Simulated device", "SIM0001"), UsbSpeed.HIGH);
    listener = new RecordingListener();
    udc.start(listener);
    host = udc.hostPort();
    host.plugInAndConfigure();
  }

  private byte[] get(int type, int index, int langId, int length) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(length);
    int n = host.control(0x80, 6, (type << 8) | index, langId, b, 1000);
    return Arrays.copyOf(b.array(), n);
  }

  @Test
  void enumerationSeesAnMtpInterfaceWithThreeEndpoints() throws Exception {
    assertEquals("enable HIGH 512", listener.calls.get(0));
    byte[] dev = get(1, 0, 0, 18);
    assertEquals(18, dev.length);
    assertEquals(0x1209, (dev[8] & 0xFF) | (dev[9] & 0xFF) << 8);
    assertEquals(3, dev[16], "serial string index");
    byte[] head = get(2, 0, 0, 9);
    int total = (head[2] & 0xFF) | (head[3] & 0xFF) << 8;
    assertEquals(9 + 9 + 3 * 7, total);
    byte[] cfg = get(2, 0, 0, total);
    assertArrayEquals(new byte[] {9, 4, 0, 0, 3, 6, 1, 1, 4}, Arrays.copyOfRange(cfg, 9, 18));
    assertArrayEquals(new byte[] {7, 5, (byte) 0x81, 2, 0, 2, 0}, Arrays.copyOfRange(cfg, 18, 25));
    assertArrayEquals(new byte[] {7, 5, 0x01, 2, 0, 2, 0}, Arrays.copyOfRange(cfg, 25, 32));
    assertArrayEquals(new byte[] {7, 5, (byte) 0x82, 3, 28, 0, 6}, Arrays.copyOfRange(cfg, 32, 39));
    assertArrayEquals(new byte[] {4, 3, 0x09, 0x04}, get(3, 0, 0, 255));
    assertEquals("MTP", new String(Arrays.copyOfRange(get(3, 4, 0x409, 255), 2, 8), StandardCharsets.UTF_16LE));
    assertEquals("SIM0001", new String(Arrays.copyOfRange(get(3, 3, 0x409, 255), 2, 16), StandardCharsets.UTF_16LE));
    byte[] ms = get(3, 0xEE, 0, 255);
    assertEquals("MSFT100", new String(Arrays.copyOfRange(ms, 2, 16), StandardCharsets.UTF_16LE));
    assertEquals((byte) 0xCD, ms[16]);
    assertNotNull(get(6, 0, 0, 10), "high-speed device qualifier");
    UsbTransferException e = assertThrows(UsbTransferException.class, () -> get(3, 9, 0x409, 255));
    assertEquals(TransferStatus.STALL, e.status());
  }

  @Test
  void microsoftCompatIdNamesMtp() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(40);
    assertEquals(40, host.control(0xC0, 0xCD, 0, 4, b, 1000));
    assertEquals("MTP", new String(b.array(), 18, 3, StandardCharsets.US_ASCII));
    assertEquals(0, b.array()[21]);
  }

  @Test
  void configurationStatusAndHalt() throws Exception {
    ByteBuffer one = ByteBuffer.allocate(1);
    host.control(0x80, 8, 0, 0, one, 1000);
    assertEquals(1, one.get(0));
    udc.bulkIn().halt();
    ByteBuffer st = ByteBuffer.allocate(2);
    host.control(0x82, 0, 0, 0x81, st, 1000);
    assertEquals(1, st.get(0));
    UsbTransferException stalled = assertThrows(UsbTransferException.class, () -> host.bulkIn(ByteBuffer.allocate(512), 100));
    assertEquals(TransferStatus.STALL, stalled.status());
    host.control(0x02, 1, 0, 0x81, ByteBuffer.allocate(0), 1000);
    st.clear();
    host.control(0x82, 0, 0, 0x81, st, 1000);
    assertEquals(0, st.get(0));
  }

  @Test
  void classRequestsReachTheFunctionWithTheirDataStage() throws Exception {
    ByteBuffer cancel = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x4001).putInt(7).flip();
    host.control(0x21, 0x64, 0, 0, cancel, 1000);
    ByteBuffer status = ByteBuffer.allocate(20);
    assertEquals(4, host.control(0xA1, 0x67, 0, 0, status, 1000));
    assertEquals(0x64, listener.requests.get(0).request());
    assertEquals(6, listener.requests.get(0).data().remaining());
    assertEquals(7, listener.requests.get(0).data().order(ByteOrder.LITTLE_ENDIAN).getInt(2));
    assertEquals(20, listener.requests.get(1).length());
  }

  @Test
  void hostReadEndsAtAShortPacketAndNeverMergesTransfersAfterIt() throws Exception {
    udc.bulkIn().write(ByteBuffer.allocate(100));
    udc.bulkIn().write(ByteBuffer.allocate(200));
    assertEquals(100, host.bulkIn(ByteBuffer.allocate(4096), 1000));
    assertEquals(200, host.bulkIn(ByteBuffer.allocate(4096), 1000));
  }

  @Test
  void fullPacketsWithoutZlpContinueIntoTheNextWrite() throws Exception {
    udc.bulkIn().write(ByteBuffer.allocate(1024));
    udc.bulkIn().write(ByteBuffer.allocate(12));
    assertEquals(1036, host.bulkIn(ByteBuffer.allocate(4096), 1000));
  }

  @Test
  void zlpEndsATransferAndIsItsOwnTransferWhenTheBufferFilled() throws Exception {
    udc.bulkIn().write(ByteBuffer.allocate(1024));
    udc.bulkIn().write(ByteBuffer.allocate(0));
    udc.bulkIn().write(ByteBuffer.allocate(12));
    assertEquals(1024, host.bulkIn(ByteBuffer.allocate(4096), 1000));
    assertEquals(12, host.bulkIn(ByteBuffer.allocate(4096), 1000));
    udc.bulkIn().write(ByteBuffer.allocate(512));
    udc.bulkIn().write(ByteBuffer.allocate(0));
    assertEquals(512, host.bulkIn(ByteBuffer.allocate(512), 1000));
    assertEquals(0, host.bulkIn(ByteBuffer.allocate(512), 1000));
  }

  @Test
  void hostBufferSmallerThanAPacketOverflows() throws Exception {
    udc.bulkIn().write(ByteBuffer.allocate(700));
    UsbTransferException e = assertThrows(UsbTransferException.class, () -> host.bulkIn(ByteBuffer.allocate(600), 1000));
    assertEquals(TransferStatus.OVERFLOW, e.status());
    assertEquals(600, e.transferred());
  }

  @Test
  void deviceReadsPacketsAsTheHostSentThem() throws Exception {
    host.bulkOut(ByteBuffer.allocate(1000), false, 1000);
    host.bulkOut(ByteBuffer.allocate(512), true, 1000);
    host.bulkOut(ByteBuffer.allocate(12), true, 1000);
    assertEquals(512, udc.bulkOut().read(ByteBuffer.allocate(512)));
    assertEquals(488, udc.bulkOut().read(ByteBuffer.allocate(512)));
    assertEquals(512, udc.bulkOut().read(ByteBuffer.allocate(16384)));
    assertEquals(12, udc.bulkOut().read(ByteBuffer.allocate(16384)));
    host.bulkOut(ByteBuffer.allocate(0), false, 1000);
    assertEquals(0, udc.bulkOut().read(ByteBuffer.allocate(512)));
  }

  @Test
  void bulkInBackPressureAndAbort() throws Exception {
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        udc.bulkIn().write(ByteBuffer.allocate(16 * 1024 * 1024));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    // a condition, not a sleep: the queue fills up to its bound, and the rest of the write waits
    long bound = (long) VirtualUdc.CHUNK_BYTES * VirtualUdc.MAX_CHUNKS;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (udc.bulkInPipe().queuedBytes() < bound && System.nanoTime() < deadline) Thread.sleep(1);
    assertEquals(bound, udc.bulkInPipe().queuedBytes(), "the queue holds at most its bound");
    assertFalse(writer.isDone(), "a writer must block while the host does not read");
    udc.bulkIn().abort();
    Exception e = assertThrows(Exception.class, () -> writer.get(5, TimeUnit.SECONDS));
    assertInstanceOf(EndpointAbortedException.class, e.getCause().getCause());
    assertEquals(0, udc.bulkInPipe().queuedBytes());
    assertThrows(EndpointAbortedException.class, () -> udc.bulkIn().write(ByteBuffer.allocate(1)));
    udc.bulkIn().resume();
    udc.bulkIn().write(ByteBuffer.allocate(3));
    assertEquals(3, host.bulkIn(ByteBuffer.allocate(512), 1000));
  }

  @Test
  void unplugFailsBothSidesAndDisablesTheFunction() throws Exception {
    CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
      try {
        return udc.bulkOut().read(ByteBuffer.allocate(512));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    // a condition, not a sleep: unplug only once the reader waits for data, so what is tested is
    // the wake-up of a waiting read (a read after the unplug fails another way)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (udc.bulkOutPipe().waitingReaders() == 0 && !reader.isDone() && System.nanoTime() < deadline) Thread.sleep(1);
    assertEquals(1, udc.bulkOutPipe().waitingReaders(), "the reader waits for data");
    host.unplug();
    Exception e = assertThrows(Exception.class, () -> reader.get(5, TimeUnit.SECONDS));
    assertInstanceOf(EndpointAbortedException.class, e.getCause().getCause());
    assertEquals("disable", listener.calls.get(listener.calls.size() - 1));
    UsbTransferException h = assertThrows(UsbTransferException.class, () -> host.bulkIn(ByteBuffer.allocate(512), 100));
    assertEquals(TransferStatus.DISCONNECTED, h.status());
    host.plugInAndConfigure();
    udc.bulkIn().write(ByteBuffer.allocate(5));
    assertEquals(5, host.bulkIn(ByteBuffer.allocate(512), 1000));
  }

  @Test
  void suspendAndResumeReachTheFunction() {
    host.suspend();
    host.resume();
    assertEquals(List.of("enable HIGH 512", "suspend", "resume"), listener.calls);
  }

  @Test
  void idleReadTimesOut() {
    UsbTransferException e = assertThrows(UsbTransferException.class, () -> host.interruptIn(ByteBuffer.allocate(28), 50));
    assertEquals(TransferStatus.TIMEOUT, e.status());
  }

  @Test
  void largeTransfersArriveIntactInBothDirections() throws Exception {
    byte[] data = new byte[5_000_011];
    new Random(1).nextBytes(data);
    CompletableFuture<Void> dev = CompletableFuture.runAsync(() -> {
      try {
        udc.bulkIn().write(ByteBuffer.wrap(data));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    ByteBuffer got = ByteBuffer.allocate(data.length + 512);
    int total = 0;
    while (true) {
      ByteBuffer slice = ByteBuffer.allocate(128 * 1024);
      int n = host.bulkIn(slice, 5000);
      got.put(slice.flip());
      total += n;
      if (n < 128 * 1024) break;
    }
    dev.get(5, TimeUnit.SECONDS);
    assertEquals(data.length, total);
    assertEquals(crc(data), crc(Arrays.copyOf(got.array(), total)));

    CompletableFuture<Void> hostWrite = CompletableFuture.runAsync(() -> {
      try {
        host.bulkOut(ByteBuffer.wrap(data), true, 5000);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    ByteBuffer in = ByteBuffer.allocate(data.length);
    ByteBuffer buf = ByteBuffer.allocate(16384);
    while (in.hasRemaining()) {
      buf.clear();
      int n = udc.bulkOut().read(buf);
      in.put(buf.flip());
      if (n < 16384) break;
    }
    hostWrite.get(5, TimeUnit.SECONDS);
    assertEquals(crc(data), crc(in.array()));
  }

  private static long crc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return c.getValue();
  }
}
