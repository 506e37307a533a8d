package io.mtpbridge.sim.usbip;

import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import io.mtpbridge.sim.udc.MtpDescriptors;
import io.mtpbridge.sim.udc.VirtualHostPort;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The URB phase of an imported device: CMD_SUBMIT and CMD_UNLINK in, RET_SUBMIT and RET_UNLINK
 * out. Each endpoint has its own worker thread and queue, so an interrupt-IN URB that waits
 * forever for an event never delays ep0 or the bulk pipes (usb-interop.md rule 23). A worker
 * performs one URB as one transfer on the virtual host port, which reproduces packet boundaries
 * and ZLPs exactly (rule 25).
 */
final class UrbSession {
  private static final Logger log = LoggerFactory.getLogger(UrbSession.class);
  /** Largest URB buffer accepted; Linux usbfs caps a bulk URB well below this. */
  static final int MAX_URB_LENGTH = 32 * 1024 * 1024;
  /** OUT data is read in pieces of this size (a multiple of every bulk packet size). */
  static final int OUT_PIECE = 64 * 1024;

  private final ExportedDevice device;
  private final VirtualHostPort port;
  private final DataInputStream in;
  private final OutputStream out;
  private final Map<Integer, Urb> active = new ConcurrentHashMap<>();
  private final Map<Integer, EndpointWorker> workers = new ConcurrentHashMap<>();
  /**
   * Seqnums of the last bulk IN URBs that completed: an unlink may cross its URB's RET_SUBMIT on
   * the wire, and still means that the program reading was gone.
   */

  UrbSession(ExportedDevice device, DataInputStream in, OutputStream out) {
    this.device = device;
    this.port = device.udc().hostPort();
    this.in = in;
    this.out = new BufferedOutputStream(out, 64 * 1024);
  }

  void run() throws IOException {
    byte[] header = new byte[UsbIpProtocol.HEADER_SIZE];
    try {
      while (true) {
        try {
          in.readFully(header);
        } catch (EOFException e) {
          return; // the host detached
        }
        ByteBuffer h = ByteBuffer.wrap(header);
        int command = h.getInt();
        int seqnum = h.getInt();
        h.getInt(); // devid: we export one device
        int direction = h.getInt();
        int ep = h.getInt();
        switch (command) {
          case UsbIpProtocol.CMD_SUBMIT -> submit(h, seqnum, direction, ep);
          case UsbIpProtocol.CMD_UNLINK -> unlink(seqnum, h.getInt());
          default -> throw new IOException("USB/IP: unknown command " + command + " (seqnum " + seqnum + "); dropping the connection");
        }
      }
    } finally {
      for (EndpointWorker w : workers.values()) w.stop();
    }
  }

  private void submit(ByteBuffer h, int seqnum, int direction, int ep) throws IOException {
    int flags = h.getInt();
    int length = h.getInt();
    h.getInt(); // start_frame
    int packets = h.getInt();
    h.getInt(); // interval
    byte[] setup = new byte[8];
    h.get(setup);
    boolean dirIn = direction == UsbIpProtocol.DIR_IN;
    if (ep < 0 || ep > 15 || length < 0 || length > MAX_URB_LENGTH || (packets > 0)) {
      // We have no isochronous endpoints; a malformed header leaves the stream unframed.
      throw new IOException(String.format("USB/IP: unusable CMD_SUBMIT (seqnum %d, ep %d, length %d, iso packets %d)", seqnum, ep, length, packets));
    }
    byte[][] data = new byte[0][];
    if (!dirIn) {
      data = new byte[(length + OUT_PIECE - 1) / OUT_PIECE][];
      for (int i = 0; i < data.length; i++) {
        data[i] = new byte[Math.min(OUT_PIECE, length - i * OUT_PIECE)];
        in.readFully(data[i]);
      }
    }
    Urb urb = new Urb(seqnum, ep, dirIn, flags, length, setup, data);
    if (ep != 0 && port.descriptors() != null && !knownEndpoint(urb.address())) {
      sendSubmitResult(urb, -UsbIpProtocol.EPIPE, 0, null);
      return;
    }
    active.put(seqnum, urb);
    int key = ep == 0 ? 0 : urb.address();
    workers.computeIfAbsent(key, k -> new EndpointWorker(k)).enqueue(urb);
  }

  private static boolean knownEndpoint(int address) {
    return address == MtpDescriptors.EP_BULK_IN || address == MtpDescriptors.EP_BULK_OUT || address == MtpDescriptors.EP_INTERRUPT_IN;
  }

  /**
   * CMD_UNLINK. A queued URB is simply dropped. A running one is asked to stop and the answer
   * waits for its outcome: if the transfer ended because of the unlink, RET_UNLINK says
   * -ECONNRESET and no RET_SUBMIT ever follows; if it completed first (its data already taken
   * from the endpoint), its RET_SUBMIT goes out and RET_UNLINK says 0 — data is never dropped
   * after it left the device, as with the kernel's own stub driver.
   */
  private void unlink(int seqnum, int victim) throws IOException {
    Urb urb = active.get(victim);
    int status = 0;
    // An unlinked bulk IN URB is not taken as the reading program being gone: a program that
    // waits in slices (to notice Ctrl-C) cancels a read whose slice ran out and reads on, and
    // usbfs unlinks the unneeded rest of a transfer it had split. A program killed mid-download
    // leaves its data behind; the next one's first bulk OUT resets the function then
    // (VirtualHostPort#bulkOut), before its command is queued.
    if (urb != null) {
      synchronized (urb) {
        if (urb.state == Urb.State.QUEUED) {
          urb.state = Urb.State.UNLINKED;
          active.remove(victim);
          urb.notifyAll();
        } else if (urb.state == Urb.State.RUNNING) {
          urb.cancelRequested = true;
          urb.runner.interrupt();
          long deadline = System.nanoTime() + UNLINK_WAIT_NANOS;
          try {
            while (urb.state == Urb.State.RUNNING && deadline - System.nanoTime() > 0) {
              urb.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (urb.state == Urb.State.RUNNING) {
            // The transfer did not react in time: give it up; its result will be dropped.
            urb.state = Urb.State.UNLINKED;
            active.remove(victim);
          }
        }
        if (urb.state == Urb.State.UNLINKED) status = -UsbIpProtocol.ECONNRESET;
      }
    }
    ByteBuffer b = ByteBuffer.allocate(UsbIpProtocol.HEADER_SIZE);
    b.putInt(UsbIpProtocol.RET_UNLINK).putInt(seqnum).putInt(0).putInt(0).putInt(0).putInt(status);
    send(b.array(), null, 0);
  }

  /** How long an unlink waits for a running transfer to stop (pipe waits react at once). */
  private static final long UNLINK_WAIT_NANOS = 5_000_000_000L;

  /** Returns the URB's status as sent in RET_SUBMIT. */
  private int perform(Urb urb, ByteBuffer buffer) {
    int status = 0;
    int actual;
    try {
      if (urb.endpoint == 0) {
        actual = control(urb, buffer);
      } else if (urb.in) {
        actual = port.transfer(urb.address(), buffer, false, 0);
      } else {
        actual = sendOut(urb);
      }
      if (urb.in && urb.shortNotOk() && actual < urb.length) status = -TransferStatus.SHORT.errno();
    } catch (UsbTransferException e) {
      status = -e.status().errno();
      actual = e.transferred();
    }
    synchronized (urb) {
      if (urb.state == Urb.State.RUNNING && urb.cancelRequested && status == -TransferStatus.CANCELLED.errno()) {
        urb.state = Urb.State.UNLINKED; // stopped by the unlink: only RET_UNLINK answers it
        active.remove(urb.seqnum);
      } else if (urb.state == Urb.State.RUNNING) {
        try {
          sendSubmitResult(urb, status, actual, urb.in ? buffer.array() : null);
        } catch (IOException e) {
          log.debug("USB/IP: RET_SUBMIT {} not sent: {}", urb.seqnum, e.toString());
        }
        urb.state = Urb.State.DONE;
        active.remove(urb.seqnum);
      }
      urb.notifyAll();
    }
    return status;
  }

  /** One OUT transfer from its pieces, written as a single transfer. */
  private int sendOut(Urb urb) throws UsbTransferException {
    if (urb.address() != MtpDescriptors.EP_BULK_OUT) {
      throw new UsbTransferException(TransferStatus.STALL, 0, String.format("no OUT endpoint 0x%02X", urb.address()));
    }
    ByteBuffer[] pieces = new ByteBuffer[urb.outData.length];
    for (int i = 0; i < pieces.length; i++) pieces[i] = ByteBuffer.wrap(urb.outData[i]);
    port.bulkOut(pieces, urb.zeroPacket(), 0);
    return urb.length;
  }

  private int control(Urb urb, ByteBuffer buffer) throws UsbTransferException {
    ByteBuffer s = ByteBuffer.wrap(urb.setup).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int requestType = s.get() & 0xFF;
    int request = s.get() & 0xFF;
    int value = s.getShort() & 0xFFFF;
    int index = s.getShort() & 0xFFFF;
    int wLength = s.getShort() & 0xFFFF;
    if ((requestType & 0x80) != 0) {
      buffer.limit(Math.min(wLength, urb.length));
      return port.control(requestType, request, value, index, buffer, 0);
    }
    byte[] out = urb.outBytes();
    ByteBuffer stage = ByteBuffer.wrap(out, 0, Math.min(wLength, out.length));
    return port.control(requestType, request, value, index, stage, 0);
  }

  private void sendSubmitResult(Urb urb, int status, int actual, byte[] inData) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(UsbIpProtocol.HEADER_SIZE);
    b.putInt(UsbIpProtocol.RET_SUBMIT).putInt(urb.seqnum).putInt(0).putInt(0).putInt(0);
    b.putInt(status).putInt(urb.in ? actual : actual).putInt(0).putInt(0).putInt(0);
    send(b.array(), inData, urb.in ? actual : 0);
  }

  private synchronized void send(byte[] header, byte[] data, int dataLength) throws IOException {
    out.write(header);
    if (data != null && dataLength > 0) out.write(data, 0, dataLength);
    out.flush();
  }

  /**
   * A host controller stops an endpoint's queue after a short packet on a URB marked short-not-OK
   * until the completion handler ran; usbfs uses that moment to cancel the rest of a transfer it
   * had split into several URBs. Over USB/IP those unlinks arrive a little later, so for a short
   * while after such a completion the endpoint's next URB waits for a possible unlink instead of
   * taking the next container's bytes. (With vhci-hcd's scatter-gather support libusb no longer
   * splits transfers, so this costs nothing in the common case.)
   */
  private static final long SHORT_UNLINK_GRACE_NANOS = 200_000_000L;

  private static void awaitUnlink(Urb urb, long deadlineNanos) {
    try {
      while (urb.state == Urb.State.QUEUED) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) return;
        urb.wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Serves one endpoint's URBs in submission order on its own thread. */
  private final class EndpointWorker implements Runnable {
    private final LinkedBlockingQueue<Urb> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopped;
    private byte[] buffer = new byte[0];
    /** When this endpoint last completed a URB with -EREMOTEIO (0: never). */
    private long shortAt;

    EndpointWorker(int key) {
      thread = new Thread(this, String.format("usbip-%s-ep%02x", device.busId(), key));
      thread.setDaemon(true);
      thread.start();
    }

    void enqueue(Urb urb) { queue.add(urb); }


    void stop() {
      stopped = true;
      thread.interrupt();
    }

    @Override
    public void run() {
      while (!stopped) {
        Urb urb;
        try {
          urb = queue.take();
        } catch (InterruptedException e) {
          if (stopped) return;
          continue;
        }
        synchronized (urb) {
          if (shortAt != 0) awaitUnlink(urb, shortAt + SHORT_UNLINK_GRACE_NANOS);
          if (urb.state == Urb.State.UNLINKED) continue;
          urb.state = Urb.State.RUNNING;
          urb.runner = Thread.currentThread();
        }
        ByteBuffer b = null;
        if (urb.in) {
          if (buffer.length < urb.length) buffer = new byte[urb.length];
          b = ByteBuffer.wrap(buffer, 0, urb.length);
        }
        int status = perform(urb, b == null ? ByteBuffer.allocate(0) : b);
        if (status == -TransferStatus.SHORT.errno()) shortAt = System.nanoTime();
        // An unlink interrupts only a RUNNING urb, under its lock; clear it before the next one.
        if (Thread.interrupted() && stopped) return;
      }
    }
  }
}
