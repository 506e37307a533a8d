package io.mtpbridge.sim.usbip;

import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
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

/**
 * The vm-e2e sequence "kill mtp-getfile mid-download, then mtp-files" over the USB/IP server, as
 * the guest kernel performs it: the dying process's bulk IN URB is unlinked while the device
 * still has data of the download on its way, then a new program on the same attached device
 * sends OpenSession and reads 512 bytes for the response (libmtp's first read). That read must
 * be the response container, never bytes of the abandoned download. Killed between two reads,
 * no URB is unlinked; the vm-e2e run of 09:06 UTC was that case.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KilledDownloadTest {
  private static final int ROOT = MtpInitiator.ROOT_PARENT;
  /** libmtp reads a bulk transfer in blocks of 0x3e00 bytes. */
  private static final int LIBMTP_BLOCK = 0x3e00;
  @TempDir Path tmp;
  private ExportedSim exported;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws Exception {
    exported = new ExportedSim(tmp, "SIM-KILL-1");
    address = exported.address;
  }

  @AfterEach
  void stop() throws IOException {
    exported.close();
  }

  @Test
  void killedWithAReadInFlightThatIsUnlinked() throws Exception {
    killDownloadThenOpenANewSession(true);
  }

  @Test
  void killedBetweenTwoReadsSoNothingIsUnlinked() throws Exception {
    killDownloadThenOpenANewSession(false);
  }

  private void killDownloadThenOpenANewSession(boolean readInFlight) throws Exception {
    byte[] data = new byte[24 * 1024 * 1024];
    new Random(7).nextBytes(data);
    try (UsbIpClient link = UsbIpClient.attach(address, "1-1", true)) {
      MtpInitiator first = new MtpInitiator(link, 5000, 64 * 1024);
      int handle = openAndUpload(first, data, "big.dat");

      // mtp-getfile: GetObject, then libmtp's reads of the data phase, a few MiB in.
      first.begin(OperationCode.GET_OBJECT.value(), handle);
      long received = 0;
      while (received < 2 * 1024 * 1024) {
        UsbIpClient.Ret ret = link.submit(1, true, 0, LIBMTP_BLOCK, null, null).result().get(5, TimeUnit.SECONDS);
        assertEquals(0, ret.status());
        received += ret.actual();
      }
      if (readInFlight) {
        // The process is killed with its next read in flight: usbfs unlinks that URB.
        UsbIpClient.Pending dying = link.submit(1, true, 0, LIBMTP_BLOCK, null, null);
        int unlinkStatus = link.unlink(dying.seqnum()).get(5, TimeUnit.SECONDS);
        assertTrue(unlinkStatus == 0 || unlinkStatus == -104, "RET_UNLINK status " + unlinkStatus);
      } // else it died while writing the last block to disk: the device hears nothing at all

      // mtp-files: a new program on the same device. OpenSession (transaction 0), then one 512-byte read.
      ByteBuffer reply = rawTransaction(link, OperationCode.OPEN_SESSION.value(), 0, 1);
      assertEquals(3, reply.getShort(4), "container type Response (not stale bytes of the killed download)");
      assertEquals(reply.remaining(), reply.getInt(0), "the read holds exactly one response container");
      int code = reply.getShort(6) & 0xFFFF;
      assertTrue(code == 0x2001 || code == 0x201E, String.format("OpenSession answered 0x%04X", code));
      assertEquals(0, reply.getInt(8), "transaction id of OpenSession");
      ByteBuffer closed = rawTransaction(link, OperationCode.CLOSE_SESSION.value(), 1);
      assertEquals(3, closed.getShort(4));
      assertEquals(0x2001, closed.getShort(6) & 0xFFFF, "CloseSession");

      // The new program works normally: lists and downloads the whole file, byte for byte.
      MtpInitiator next = new MtpInitiator(link, 5000, 64 * 1024);
      next.openSession(2);
      int[] handles = next.getObjectHandles(next.getStorageIds()[0], 0, ROOT);
      assertArrayEquals(new int[] {handle}, handles);
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
      next.getObject(handle, Channels.newChannel(out));
      assertArrayEquals(data, out.toByteArray());
      next.closeSession();
      assertNull(link.failure());
    }
  }

  /**
   * A program that waits for bulk IN in short slices (mtpbridge, to notice Ctrl-C) cancels a read
   * whose slice ran out and submits the next: that unlink is not an abandoned download. The
   * download goes on where it was, byte for byte, and ends with its response (the function used
   * to be reset at such an unlink whenever the device had data on its way, which a loaded machine
   * made likely: a backup over USB/IP failed with "no answer in time").
   */
  @Test
  void aReadCancelledByItsOwnTimeoutIsNotAnAbandonedDownload() throws Exception {
    byte[] data = new byte[8 * 1024 * 1024];
    new Random(9).nextBytes(data);
    try (UsbIpClient link = UsbIpClient.attach(address, "1-1", true)) {
      MtpInitiator host = new MtpInitiator(link, 5000, 64 * 1024);
      host.begin(OperationCode.GET_OBJECT.value(), openAndUpload(host, data, "slow.dat"));
      ByteArrayOutputStream container = new ByteArrayOutputStream(data.length + 12);
      while (container.size() < 1024 * 1024) {
        UsbIpClient.Ret ret = link.submit(1, true, 0, LIBMTP_BLOCK, null, null).result().get(5, TimeUnit.SECONDS);
        assertEquals(0, ret.status());
        container.write(ret.data(), 0, ret.actual());
      }
      // the slice runs out: its read is cancelled; whatever it had already got still arrives
      UsbIpClient.Pending timedOut = link.submit(1, true, 0, LIBMTP_BLOCK, null, null);
      int unlinkStatus = link.unlink(timedOut.seqnum()).get(5, TimeUnit.SECONDS);
      if (unlinkStatus == 0) {
        UsbIpClient.Ret ret = timedOut.result().get(5, TimeUnit.SECONDS);
        container.write(ret.data(), 0, ret.actual());
      }
      while (container.size() < data.length + 12) {
        UsbIpClient.Ret ret = link.submit(1, true, 0, LIBMTP_BLOCK, null, null).result().get(5, TimeUnit.SECONDS);
        assertEquals(0, ret.status(), "the download goes on after the cancelled read");
        container.write(ret.data(), 0, ret.actual());
      }
      byte[] got = container.toByteArray();
      assertEquals(data.length + 12, got.length);
      assertArrayEquals(data, java.util.Arrays.copyOfRange(got, 12, got.length));
      ByteBuffer response = ByteBuffer.allocate(512);
      link.bulkIn(response, 5000);
      response.flip().order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(3, response.getShort(4), "a response container");
      assertEquals(0x2001, response.getShort(6) & 0xFFFF, "GetObject answered OK");
      assertNull(link.failure());
    }
  }

  /** Opens session 1 and uploads {@code data} as {@code name} into the first storage's root; returns its handle. */
  private static int openAndUpload(MtpInitiator host, byte[] data, String name) throws IOException {
    host.openSession(1);
    int storage = host.getStorageIds()[0];
    int[] r = host.sendObjectInfo(storage, ROOT, ObjectInfo.builder().storageId(storage).objectFormat(0x3000)
        .parentObject(ROOT).size(data.length).filename(name).build());
    host.sendObject(Channels.newChannel(new java.io.ByteArrayInputStream(data)), data.length);
    return r[2];
  }

  /** One command container, then one 512-byte read for its response (as libmtp does). */
  private static ByteBuffer rawTransaction(UsbIpClient link, int code, int tid, int... params) throws IOException {
    ByteBuffer cmd = ByteBuffer.allocate(12 + 4 * params.length).order(ByteOrder.LITTLE_ENDIAN);
    cmd.putInt(cmd.capacity()).putShort((short) 1).putShort((short) code).putInt(tid);
    for (int p : params) cmd.putInt(p);
    link.bulkOut(cmd.flip(), false, 5000);
    ByteBuffer reply = ByteBuffer.allocate(512);
    link.bulkIn(reply, 5000);
    return reply.flip().order(ByteOrder.LITTLE_ENDIAN);
  }
}
