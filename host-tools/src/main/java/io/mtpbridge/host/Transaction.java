package io.mtpbridge.host;

import io.mtpbridge.core.code.EventCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.container.ContainerCodec;
import io.mtpbridge.core.container.ContainerHeader;
import io.mtpbridge.core.container.ContainerType;
import io.mtpbridge.core.container.MalformedContainerException;
import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.Response;
import io.mtpbridge.host.link.InitiatorLink;
import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * One MTP transaction on the wire, step by step: the command went out when this object was made;
 * then at most one data phase ({@link #sendData} or {@link #receiveData}), then {@link #response}.
 * {@link #cancel} (or {@link #requestCancel} from inside a data callback) ends it early with the
 * class request Cancel, as libmtp does.
 *
 * <p>Data phases stream through a fixed buffer (a whole number of packets), so a 4 GiB object
 * moves with a few hundred KiB of heap. Framing follows the bulk-only transport: the header and
 * the first data bytes share the first packet; a container whose length is a multiple of the
 * packet size ends with a ZLP; 0xFFFFFFFF lengths end with a short packet.
 */
public final class Transaction {
  private static final int CANCEL_REQUEST = 0x64;
  private static final int GET_DEVICE_STATUS = 0x67;
  private static final int CANCEL_CODE = EventCode.CANCEL_TRANSACTION.value();

  private final MtpInitiator initiator;
  private final InitiatorLink link;
  private final int operation;
  private final int id;
  private final long timeoutMillis;
  private Response response;
  private boolean dataDone;
  private boolean finished;
  private volatile boolean cancelRequested;

  Transaction(MtpInitiator initiator, InitiatorLink link, Command command, long timeoutMillis) throws IOException {
    this.initiator = initiator;
    this.link = link;
    this.operation = command.code();
    this.id = command.transactionId();
    this.timeoutMillis = timeoutMillis;
    ByteBuf out = Unpooled.buffer(ContainerCodec.MAX_PARAM_CONTAINER);
    ContainerCodec.encodeCommand(command, out);
    link.bulkOut(out.nioBuffer(), true, timeoutMillis);
  }

  public int id() { return id; }

  public int operation() { return operation; }

  /**
   * Asks the data phase in progress to stop at the next buffer (or, on a link that waits in
   * slices, while it waits for the device) and cancel; safe from any thread.
   */
  public void requestCancel() { cancelRequested = true; }

  /**
   * Sends the data phase: {@code length} bytes from {@code source}, or until its end when
   * {@code length} is -1 (sent as 0xFFFFFFFF, ended by a short packet). A source that ends early
   * cancels the transaction, so the device discards the partial object.
   */
  public void sendData(ReadableByteChannel source, long length) throws IOException {
    checkState();
    dataDone = true;
    int bufSize = initiator.transferBufferSize();
    ByteBuffer buf = ByteBuffer.allocateDirect(bufSize).order(ByteOrder.LITTLE_ENDIAN);
    long containerLength = length < 0 || length + ContainerHeader.SIZE >= ContainerHeader.UNKNOWN_LENGTH
        ? ContainerHeader.UNKNOWN_LENGTH : length + ContainerHeader.SIZE;
    buf.putInt((int) containerLength).putShort((short) ContainerType.DATA.value()).putShort((short) operation).putInt(id);
    long sent = 0;
    boolean eof = false;
    while (true) {
      while (buf.hasRemaining() && !eof && (length < 0 || sent < length)) {
        if (length >= 0 && length - sent < buf.remaining()) buf.limit(buf.position() + (int) (length - sent));
        int n;
        try {
          n = source.read(buf);
        } catch (IOException e) {
          throw abandoned(e);
        }
        if (n < 0) eof = true; else sent += n;
        buf.limit(buf.capacity());
      }
      boolean last = eof || (length >= 0 && sent == length);
      if (cancelRequested) {
        cancel();
        throw new MtpCancelledException(id, "cancelled while sending data");
      }
      if (length >= 0 && eof && sent < length) {
        cancel();
        throw new IOException("the data source ended after " + sent + " of " + length + " bytes; the transfer was cancelled");
      }
      buf.flip();
      try {
        link.bulkOut(buf, last, timeoutMillis);
      } catch (UsbTransferException e) {
        throw failed(e);
      }
      buf.clear();
      if (last) return;
    }
  }

  /**
   * Reads the device's data phase into {@code sink}; returns the payload byte count. When the
   * device answered with a response straight away (an error before any data), returns -1 and
   * {@link #response} gives it.
   */
  public long receiveData(WritableByteChannel sink) throws IOException {
    checkState();
    dataDone = true;
    int mp = link.bulkMaxPacket();
    ByteBuffer buf = ByteBuffer.allocateDirect(initiator.transferBufferSize()).order(ByteOrder.LITTLE_ENDIAN);
    int n = readSkippingZlps(buf);
    ContainerHeader header = header(buf, n);
    if (header.type() == ContainerType.RESPONSE) {
      response = decodeResponse(buf, n);
      return -1;
    }
    if (header.type() != ContainerType.DATA) throw new MtpProtocolViolationException("expected a data or response container, got " + header.type());
    if (header.code() != operation || header.transactionId() != id) {
      throw new MtpProtocolViolationException(String.format("data container for 0x%04X/tid %d while waiting for 0x%04X/tid %d",
          header.code(), header.transactionId(), operation, id));
    }
    long expected = header.payloadLength();
    buf.position(ContainerHeader.SIZE).limit(n);
    long received = drainTo(sink, buf, expected, 0);
    boolean filled = n == buf.capacity();
    while (expected < 0 ? filled : received < expected) {
      if (!filled) throw new MtpProtocolViolationException("data phase ended after " + received + " of " + expected + " bytes");
      if (cancelRequested) {
        cancel();
        throw new MtpCancelledException(id, "cancelled while receiving data");
      }
      buf.clear();
      n = readOrCancel(buf);
      filled = n == buf.capacity();
      buf.flip();
      received = drainTo(sink, buf, expected, received);
    }
    if (cancelRequested) {
      cancel();
      throw new MtpCancelledException(id, "cancelled after the data phase");
    }
    // A full last transfer that ended exactly at a packet-multiple container length leaves the ZLP unread.
    if (expected >= 0 && filled && header.length() % mp == 0) {
      ByteBuffer zlp = ByteBuffer.allocate(mp);
      int z = link.bulkIn(zlp, timeoutMillis);
      if (z != 0) throw new MtpProtocolViolationException("expected a ZLP after a " + header.length() + "-byte data container, got " + z + " bytes");
    }
    return received;
  }

  /** Reads (once) and returns the response that ends the transaction. */
  public Response response() throws IOException {
    if (response == null) {
      if (finished) throw new IllegalStateException("transaction " + id + " was cancelled; it has no response");
      ByteBuffer buf = ByteBuffer.allocate(Math.max(link.bulkMaxPacket(), 64)).order(ByteOrder.LITTLE_ENDIAN);
      int n = readSkippingZlps(buf);
      ContainerHeader header = header(buf, n);
      if (header.type() != ContainerType.RESPONSE) throw new MtpProtocolViolationException("expected a response, got a " + header.type() + " container");
      response = decodeResponse(buf, n);
    }
    if (response.transactionId() != id) {
      throw new MtpProtocolViolationException("response for transaction " + response.transactionId() + " while waiting for " + id);
    }
    finished = true;
    return response;
  }

  /** The response, or an {@link MtpResponseException} when it is not OK. */
  public Response expectOk() throws IOException {
    Response r = response();
    if (r.code() != ResponseCode.OK.value()) throw new MtpResponseException(operation, r);
    return r;
  }

  /**
   * Cancels the transaction: class request Cancel, then Get Device Status until the device is no
   * longer busy, then whatever the device had already queued on bulk IN is read and dropped.
   */
  public void cancel() throws IOException {
    finished = true;
    initiator.rememberCancelled(id);
    ByteBuffer req = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) CANCEL_CODE).putInt(id).flip();
    link.control(0x21, CANCEL_REQUEST, 0, 0, req, timeoutMillis);
    waitUntilNotBusy();
    drainBulkIn();
  }

  private void waitUntilNotBusy() throws IOException {
    long deadline = System.currentTimeMillis() + Math.max(timeoutMillis, 5000);
    while (true) {
      int code = initiator.deviceStatus();
      if (code != ResponseCode.DEVICE_BUSY.value()) return;
      if (System.currentTimeMillis() > deadline) throw new IOException("the device stayed busy after Cancel");
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the device to finish a cancel");
      }
    }
  }

  /** One bulk IN transfer of the data phase; a cancel requested meanwhile ends the wait and cancels. */
  private int readOrCancel(ByteBuffer buf) throws IOException {
    try {
      return link.bulkIn(buf, timeoutMillis, () -> cancelRequested);
    } catch (UsbTransferException e) {
      if (cancelRequested && e.status() == TransferStatus.CANCELLED) {
        cancel();
        throw new MtpCancelledException(id, "cancelled while waiting for data");
      }
      throw failed(e);
    }
  }

  private void drainBulkIn() throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(initiator.transferBufferSize());
    while (true) {
      buf.clear();
      try {
        link.bulkIn(buf, 50);
      } catch (UsbTransferException e) {
        if (e.status() == TransferStatus.TIMEOUT) return;
        throw e;
      }
    }
  }

  private long drainTo(WritableByteChannel sink, ByteBuffer buf, long expected, long received) throws IOException {
    int n = buf.remaining();
    if (expected >= 0 && received + n > expected) {
      throw new MtpProtocolViolationException("the device sent " + (received + n) + " bytes in a " + expected + "-byte data phase");
    }
    try {
      while (buf.hasRemaining()) sink.write(buf);
    } catch (IOException e) {
      throw abandoned(e);
    }
    return received + n;
  }

  /**
   * A failure on this side in the middle of the data phase (the disk full, a local file that
   * cannot be read on): the transaction is cancelled so the device is not left half-way through it
   * (its next command would meet the rest of the data phase) and the session goes on; then the
   * failure is reported as it was.
   */
  private IOException abandoned(IOException e) {
    try {
      cancel();
    } catch (IOException | RuntimeException c) {
      e.addSuppressed(c);
    }
    return e;
  }

  /**
   * Reads the first transfer of the next container. Tolerated and skipped: a stray ZLP (as libmtp
   * does), a late response of a transaction this initiator cancelled (a device may finish a
   * transaction whose data phase was already complete when the Cancel arrived), and a late data
   * phase of one (a loaded device may queue it after the cancel's drain stopped waiting).
   */
  private int readSkippingZlps(ByteBuffer buf) throws IOException {
    int zlps = 0;
    while (true) {
      buf.clear();
      int n = readOrCancel(buf);
      if (n == 0) {
        if (++zlps >= 3) throw new MtpProtocolViolationException("the device sent only zero-length packets where a container belongs");
        continue;
      }
      if (n >= ContainerHeader.SIZE && initiator.wasCancelled(buf.getInt(8))) {
        int type = buf.getShort(4) & 0xFFFF;
        if (type == ContainerType.RESPONSE.value() && n <= ContainerCodec.MAX_PARAM_CONTAINER) continue;
        if (type == ContainerType.DATA.value()) {
          skipRestOfContainer(buf, n, buf.getInt(0) & 0xFFFFFFFFL);
          continue;
        }
      }
      return n;
    }
  }

  /**
   * Drops the rest of a data phase of a cancelled transaction that arrived after the cancel's
   * drain gave up (a slow device may queue it late): by its container length, or up to the short
   * packet for 0xFFFFFFFF. A ZLP owed after it is skipped as a stray ZLP.
   */
  private void skipRestOfContainer(ByteBuffer buf, int first, long length) throws IOException {
    long consumed = first;
    boolean full = first == buf.capacity();
    while (length == ContainerHeader.UNKNOWN_LENGTH ? full : consumed < length) {
      if (!full) throw new MtpProtocolViolationException("a cancelled transaction's data phase ended after " + consumed + " of " + length + " bytes");
      buf.clear();
      int n;
      try {
        n = link.bulkIn(buf, timeoutMillis);
      } catch (UsbTransferException e) {
        throw failed(e);
      }
      consumed += n;
      full = n == buf.capacity();
    }
  }

  private ContainerHeader header(ByteBuffer buf, int n) throws MtpProtocolViolationException {
    try {
      return ContainerHeader.decode(Unpooled.wrappedBuffer(buf.duplicate().position(0).limit(n)));
    } catch (MalformedContainerException e) {
      throw new MtpProtocolViolationException(e.getMessage());
    }
  }

  private Response decodeResponse(ByteBuffer buf, int n) throws MtpProtocolViolationException {
    try {
      return ContainerCodec.decodeResponse(Unpooled.wrappedBuffer(buf.duplicate().position(0).limit(n)));
    } catch (MalformedContainerException e) {
      throw new MtpProtocolViolationException(e.getMessage());
    }
  }

  private IOException failed(UsbTransferException e) {
    IOException io = new IOException(OperationCode.nameOf(operation) + " (transaction " + id + "): " + e.getMessage());
    io.initCause(e);
    return io;
  }

  private void checkState() {
    if (dataDone) throw new IllegalStateException("transaction " + id + " already had its data phase");
    if (finished) throw new IllegalStateException("transaction " + id + " is finished");
  }
}
