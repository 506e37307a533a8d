package io.mtpbridge.host.usb;

import io.mtpbridge.host.link.InitiatorLink;
import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.function.BooleanSupplier;
import org.usb4java.BufferUtils;
import org.usb4java.Device;
import org.usb4java.DeviceHandle;
import org.usb4java.LibUsb;

/**
 * The pipes of one MTP interface of a real USB device, through libusb's synchronous API
 * (usb4java's low-level binding). Opening detaches a kernel driver bound to the interface (and
 * attaches it again on close) and claims the interface; a claim refused because another program
 * holds the interface is a {@link UsbDeviceBusyException}.
 *
 * <p>Transfers keep USB semantics, which libusb gives: an IN transfer of N bytes ends at a short
 * packet, a ZLP or N bytes; an OUT transfer is split into packets by the host controller, and a
 * ZLP is a transfer of length 0. usb4java reads a transfer's length from the buffer's capacity
 * and its address from the start, so every transfer goes through a direct slice of exactly the
 * bytes meant; heap buffers are staged through a direct buffer per pipe. Each pipe has its own
 * lock and buffers, so events can be read on another thread while a bulk transfer runs.
 *
 * <p>Every wait is bounded by the caller's timeout. An unplugged device fails the transfer in
 * flight at once (the kernel completes its URBs with ENODEV/ESHUTDOWN) as
 * {@link TransferStatus#DISCONNECTED}.
 */
public final class LibUsbLink implements InitiatorLink {
  private static final int STAGING = 256 * 1024;
  private static final int INTERFACE_RECIPIENT = 0x01;
  /** Longest single libusb wait of a bulk IN transfer; Ctrl-C is noticed within it. */
  static final long WAIT_SLICE_MILLIS = 250;

  private final DeviceHandle handle;
  private final MtpInterface mtp;
  private final String name;
  private final boolean reattachKernelDriver;
  private final Object outLock = new Object();
  private final Object inLock = new Object();
  private final Object interruptLock = new Object();
  private final Object controlLock = new Object();
  private final IntBuffer outCount = BufferUtils.allocateIntBuffer();
  private final IntBuffer inCount = BufferUtils.allocateIntBuffer();
  private final IntBuffer interruptCount = BufferUtils.allocateIntBuffer();
  private ByteBuffer outStaging = ByteBuffer.allocateDirect(STAGING);
  private ByteBuffer inStaging = ByteBuffer.allocateDirect(4096);
  private final ByteBuffer interruptStaging = ByteBuffer.allocateDirect(64);
  private final ByteBuffer controlStaging = ByteBuffer.allocateDirect(4096);
  private boolean closed;

  private LibUsbLink(DeviceHandle handle, MtpInterface mtp, String name, boolean reattachKernelDriver) {
    this.handle = handle;
    this.mtp = mtp;
    this.name = name;
    this.reattachKernelDriver = reattachKernelDriver;
  }

  /**
   * Opens {@code device} and claims its MTP interface.
   *
   * @param name how messages name the device, e.g. {@code 003-002 (Acme Phone, serial X)}
   * @param serial the device's serial, for the busy message's gvfs hint ("" when unknown)
   */
  static LibUsbLink open(Device device, MtpInterface mtp, String name, String node, String serial) throws IOException {
    DeviceHandle handle = new DeviceHandle();
    int r = LibUsb.open(device, handle);
    if (r == LibUsb.ERROR_ACCESS) {
      throw new UsbAccessException("cannot open " + name + " (" + node + "): permission denied: install the PC udev rule"
          + " udev-rules/host/69-mtpbridge.rules (see udev-rules/README.md) and plug the device in again, or run as root");
    }
    if (r == LibUsb.ERROR_NO_DEVICE) throw new IOException(name + " was unplugged: plug it in again and retry");
    if (r != LibUsb.SUCCESS) throw new IOException("cannot open " + name + " (" + node + "): " + LibUsb.strError(r));
    boolean detached = false;
    try {
      int active = LibUsb.kernelDriverActive(handle, mtp.number());
      if (active == 1) {
        r = LibUsb.detachKernelDriver(handle, mtp.number());
        if (r != LibUsb.SUCCESS && r != LibUsb.ERROR_NOT_FOUND) {
          throw new IOException("cannot detach the kernel driver from " + name + "'s MTP interface: " + LibUsb.strError(r));
        }
        detached = r == LibUsb.SUCCESS;
      }
      r = LibUsb.claimInterface(handle, mtp.number());
      if (r == LibUsb.ERROR_BUSY) throw UsbDeviceBusyException.of(name, serial);
      if (r == LibUsb.ERROR_NO_DEVICE) throw new IOException(name + " was unplugged: plug it in again and retry");
      if (r != LibUsb.SUCCESS) throw new IOException("cannot claim " + name + "'s MTP interface: " + LibUsb.strError(r));
      if (mtp.alternate() != 0) {
        r = LibUsb.setInterfaceAltSetting(handle, mtp.number(), mtp.alternate());
        if (r != LibUsb.SUCCESS) {
          LibUsb.releaseInterface(handle, mtp.number());
          throw new IOException("cannot select " + name + "'s MTP alternate setting: " + LibUsb.strError(r));
        }
      }
    } catch (IOException | RuntimeException e) {
      if (detached) LibUsb.attachKernelDriver(handle, mtp.number());
      LibUsb.close(handle);
      throw e;
    }
    return new LibUsbLink(handle, mtp, name, detached);
  }

  public MtpInterface mtpInterface() { return mtp; }

  @Override
  public int bulkMaxPacket() { return mtp.bulkMaxPacket(); }

  @Override
  public void bulkOut(ByteBuffer src, boolean zeroPacket, long timeoutMillis) throws IOException {
    synchronized (outLock) {
      checkOpen();
      int total = src.remaining();
      while (src.hasRemaining()) {
        ByteBuffer piece;
        if (src.isDirect()) {
          piece = src.slice();
        } else {
          int n = Math.min(src.remaining(), outStaging.capacity());
          piece = outStaging.clear().limit(n).slice();
          piece.put(src.duplicate().limit(src.position() + n)).clear();
        }
        int sent = transfer(mtp.bulkOut(), piece, outCount, timeoutMillis, "bulk OUT", false);
        src.position(src.position() + sent);
      }
      if (total == 0 || (zeroPacket && total % mtp.bulkMaxPacket() == 0)) {
        transfer(mtp.bulkOut(), outStaging.clear().limit(0).slice(), outCount, timeoutMillis, "bulk OUT (ZLP)", false);
      }
    }
  }

  /** Never gives up (a class, not a lambda: see {@link io.mtpbridge.host.Cancellation}). */
  private static final BooleanSupplier NEVER = new BooleanSupplier() {
    @Override public boolean getAsBoolean() { return false; }
  };

  @Override
  public int bulkIn(ByteBuffer dst, long timeoutMillis) throws IOException {
    return bulkIn(dst, timeoutMillis, NEVER);
  }

  /**
   * One bulk IN transfer, waited for in slices of at most {@link #WAIT_SLICE_MILLIS}: a slice that
   * times out after whole packets arrived keeps them and reads on into the rest of the buffer
   * (the transfer has not ended: no short packet came), one that times out after a short packet
   * ends the transfer there (see {@link #endedDespiteTimeout}), so slicing changes nothing on the wire;
   * between slices {@code giveUp} is checked. {@code timeoutMillis} limits the device's silence
   * ({@link Silence}): data arriving, however slowly, keeps the transfer going, and a pause of this
   * process (SIGSTOP, suspend) does not count.
   */
  @Override
  public int bulkIn(ByteBuffer dst, long timeoutMillis, BooleanSupplier giveUp) throws IOException {
    synchronized (inLock) {
      checkOpen();
      int want = dst.remaining();
      ByteBuffer target;
      if (dst.isDirect()) {
        target = dst.slice();
      } else {
        if (inStaging.capacity() < want) inStaging = ByteBuffer.allocateDirect(want);
        target = inStaging.clear().limit(want).slice();
      }
      Silence silence = new Silence(timeoutMillis);
      int total = 0;
      while (true) {
        ByteBuffer piece = target.duplicate().position(total).limit(want).slice();
        long wait = silence.nextWait(WAIT_SLICE_MILLIS);
        inCount.put(0, 0);
        long started = System.nanoTime();
        int r = LibUsb.bulkTransfer(handle, (byte) mtp.bulkIn(), piece, inCount, wait);
        int got = inCount.get(0);
        silence.after(wait, (System.nanoTime() - started) / 1_000_000, got);
        total += got;
        if (r == LibUsb.SUCCESS) break;
        if (r != LibUsb.ERROR_TIMEOUT) throw failure("bulk IN", r, total);
        if (endedDespiteTimeout(got, total, want, mtp.bulkMaxPacket())) break;
        if (total == 0 && giveUp.getAsBoolean()) {
          throw new UsbTransferException(TransferStatus.CANCELLED, 0, "bulk IN: given up while waiting for " + name);
        }
        if (silence.over()) throw failure("bulk IN", r, total);
      }
      if (dst.isDirect()) dst.position(dst.position() + total);
      else dst.put(target.limit(total));
      return total;
    }
  }

  /**
   * Whether a bulk IN transfer is over although its slice reported a timeout. The buffer may be
   * full; or the slice's timeout raced the transfer's end: a short packet (a count that is not a
   * whole number of packets) arrived and ended it, and reading on into the same buffer would
   * append the next container (the response after a data phase) to this one. Seen over USB/IP
   * on a loaded machine, where a slice's cancel often meets a transfer just completed.
   */
  static boolean endedDespiteTimeout(int gotInSlice, int total, int want, int maxPacket) {
    return total == want || gotInSlice % maxPacket != 0;
  }

  @Override
  public int interruptIn(ByteBuffer dst, long timeoutMillis) throws IOException {
    synchronized (interruptLock) {
      checkOpen();
      int want = Math.min(dst.remaining(), interruptStaging.capacity());
      ByteBuffer piece = interruptStaging.clear().limit(want).slice();
      int n = transfer(mtp.interruptIn(), piece, interruptCount, timeoutMillis, "interrupt IN", true);
      dst.put(piece.limit(n));
      return n;
    }
  }

  @Override
  public int control(int requestType, int request, int value, int index, ByteBuffer data, long timeoutMillis) throws IOException {
    // MTP's class requests (Cancel, Get Device Status, Device Reset) address the MTP interface.
    if ((requestType & 0x1F) == INTERFACE_RECIPIENT && index == 0) index = mtp.number();
    boolean in = (requestType & 0x80) != 0;
    synchronized (controlLock) {
      checkOpen();
      if (data.remaining() > controlStaging.capacity()) throw new IllegalArgumentException("control data stage too long: " + data.remaining());
      ByteBuffer piece = controlStaging.clear().limit(data.remaining()).slice();
      if (!in) piece.put(data.duplicate()).clear();
      int r = LibUsb.controlTransfer(handle, (byte) requestType, (byte) request, (short) value, (short) index, piece, clamp(timeoutMillis));
      if (r < 0) throw failure("control request 0x" + Integer.toHexString(request), r, 0);
      if (in) data.put(piece.limit(r));
      else data.position(data.position() + r);
      return r;
    }
  }

  private int transfer(int endpoint, ByteBuffer piece, IntBuffer count, long timeoutMillis, String what, boolean interrupt)
      throws UsbTransferException {
    count.put(0, 0);
    int r = interrupt
        ? LibUsb.interruptTransfer(handle, (byte) endpoint, piece, count, clamp(timeoutMillis))
        : LibUsb.bulkTransfer(handle, (byte) endpoint, piece, count, clamp(timeoutMillis));
    if (r != LibUsb.SUCCESS) throw failure(what, r, count.get(0));
    return count.get(0);
  }

  private UsbTransferException failure(String what, int libusbError, int transferred) {
    TransferStatus status = statusOf(libusbError);
    String text = switch (status) {
      case DISCONNECTED -> name + " was unplugged or stopped answering (" + LibUsb.errorName(libusbError) + ")";
      case TIMEOUT -> "no answer from " + name + " in time";
      case STALL -> name + " halted the endpoint";
      case OVERFLOW -> name + " sent more than was asked for";
      default -> name + ": " + LibUsb.strError(libusbError);
    };
    return new UsbTransferException(status, transferred, what + ": " + text);
  }

  static TransferStatus statusOf(int libusbError) {
    return switch (libusbError) {
      case LibUsb.ERROR_TIMEOUT -> TransferStatus.TIMEOUT;
      case LibUsb.ERROR_PIPE -> TransferStatus.STALL;
      case LibUsb.ERROR_OVERFLOW -> TransferStatus.OVERFLOW;
      case LibUsb.ERROR_INTERRUPTED -> TransferStatus.CANCELLED;
      // unplugged: ENODEV / ESHUTDOWN; a transfer cut by the disconnect may also end in EPROTO (I/O)
      default -> TransferStatus.DISCONNECTED;
    };
  }

  private static long clamp(long timeoutMillis) {
    return Math.min(Math.max(timeoutMillis, 0), Integer.MAX_VALUE);
  }

  private void checkOpen() throws UsbTransferException {
    if (closed) throw new UsbTransferException(TransferStatus.DISCONNECTED, 0, "the link to " + name + " is closed");
  }

  /**
   * Releases the interface, gives a detached kernel driver its interface back and closes the
   * handle. Call it from the thread that ran the transfers, after the last one returned.
   */
  @Override
  public void close() {
    synchronized (outLock) {
      synchronized (inLock) {
        synchronized (interruptLock) {
          synchronized (controlLock) {
            if (closed) return;
            closed = true;
            LibUsb.releaseInterface(handle, mtp.number());
            if (reattachKernelDriver) LibUsb.attachKernelDriver(handle, mtp.number());
            LibUsb.close(handle);
          }
        }
      }
    }
  }

  @Override
  public String toString() { return "usb4java link to " + name; }
}
