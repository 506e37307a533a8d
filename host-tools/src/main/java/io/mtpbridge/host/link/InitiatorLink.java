package io.mtpbridge.host.link;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The USB pipes an MTP initiator needs, seen from the host: bulk OUT and bulk IN transfers,
 * interrupt IN for events, and control transfers on ep0. Implementations: the in-JVM port of the
 * simulator's virtual controller, a USB/IP client, and (later) libusb through usb4java.
 *
 * <p>Transfers keep USB semantics: an IN transfer completes when a short packet (or a ZLP)
 * arrives or the buffer is full; an OUT transfer is split into max-size packets. A timeout of 0
 * waits forever. Failures are {@link UsbTransferException}s carrying a {@link TransferStatus}.
 */
public interface InitiatorLink extends Closeable {

  /** The bulk max packet size negotiated for this connection (64, 512 or 1024). */
  int bulkMaxPacket();

  /**
   * Sends all remaining bytes of {@code src} as one bulk OUT transfer. With {@code zeroPacket},
   * a non-empty transfer whose length is a multiple of the packet size is ended by a ZLP; an empty
   * {@code src} always sends one ZLP.
   */
  void bulkOut(ByteBuffer src, boolean zeroPacket, long timeoutMillis) throws IOException;

  /** Reads one bulk IN transfer into {@code dst}; returns the byte count (0 for a ZLP). */
  int bulkIn(ByteBuffer dst, long timeoutMillis) throws IOException;

  /**
   * {@link #bulkIn}, but a link that waits in slices gives up early, with
   * {@link TransferStatus#CANCELLED} and nothing lost, once {@code giveUp} turns true (a person
   * pressed Ctrl-C while the device had nothing to send yet). Links whose waits are short anyway
   * need not override it.
   */
  default int bulkIn(ByteBuffer dst, long timeoutMillis, java.util.function.BooleanSupplier giveUp) throws IOException {
    return bulkIn(dst, timeoutMillis);
  }

  /** Reads one interrupt IN transfer (an event container) into {@code dst}. */
  int interruptIn(ByteBuffer dst, long timeoutMillis) throws IOException;

  /**
   * A control transfer. For device-to-host requests ({@code requestType} bit 7 set) the data stage
   * is read into {@code data} (wLength = its remaining space); otherwise {@code data}'s remaining
   * bytes are the OUT data stage. Returns the data-stage byte count.
   */
  int control(int requestType, int request, int value, int index, ByteBuffer data, long timeoutMillis) throws IOException;

  @Override
  void close() throws IOException;
}
