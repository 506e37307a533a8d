package io.mtpbridge.usb.mtp;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.container.ContainerCodec;
import io.mtpbridge.core.container.ContainerHeader;
import io.mtpbridge.core.container.ContainerType;
import io.mtpbridge.core.container.MalformedContainerException;
import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.DataOut;
import io.mtpbridge.core.transport.Event;
import io.mtpbridge.core.transport.MtpProtocolException;
import io.mtpbridge.core.transport.MtpTransport;
import io.mtpbridge.core.transport.Response;
import io.mtpbridge.core.transport.TransactionCancelledException;
import io.mtpbridge.usb.function.UsbFunction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MTP over USB bulk-only transport (still-image class, appendix D of the MTP spec) on any
 * {@link UsbFunction}: the FunctionFS backend on a real controller, or the simulator's virtual one.
 *
 * <p>Threads: the responder's protocol thread calls the {@link MtpTransport} methods and does the
 * small transfers itself (commands, responses, datasets); the backend's control thread delivers
 * class requests and lifecycle events; one background thread overlaps the transfers of big data
 * phases with storage I/O; one watches for a host that stops reading (see {@link InStallWatch});
 * one thread writes events.
 */
public final class UsbMtpTransport implements MtpTransport, Closeable {
  private static final Logger log = LoggerFactory.getLogger(UsbMtpTransport.class);
  static final int GENERAL_ERROR = ResponseCode.GENERAL_ERROR.value();
  static final int INVALID_TRANSACTION_ID = ResponseCode.INVALID_TRANSACTION_ID.value();

  private final UsbFunction function;
  private final UsbMtpConfig config;
  private final BulkIo io = new BulkIo();
  private final LinkState state;
  private final EventWriter events;
  private final CommandReader commands;
  private final InStallWatch stallWatch;
  private final ByteBuffer bufferA;
  private final ByteBuffer bufferB;
  /**
   * The response container, reused (direct, so the endpoint writes it without a copy); protocol
   * thread only. Made with the first response, not with the transport: Netty's buffers set
   * themselves up (about 150 classes, system probes) the first time one is made, and none of
   * that has to come before the descriptors are published.
   */
  private ByteBuf responseContainer;
  /** A command that arrived where something else was expected; served next. */
  private Command stashed;

  public UsbMtpTransport(UsbFunction function) { this(function, UsbMtpConfig.defaults()); }

  public UsbMtpTransport(UsbFunction function, UsbMtpConfig config) {
    this.function = function;
    this.config = config;
    this.state = new LinkState(new LinkState.BulkPipes() {
      @Override public void abort() {
        function.bulkIn().abort();
        function.bulkOut().abort();
      }

      @Override public void resume() {
        function.bulkIn().resume();
        function.bulkOut().resume();
      }

      @Override public void abortOut() { function.bulkOut().abort(); }

      @Override public void resumeOut() { function.bulkOut().resume(); }
    });
    this.stallWatch = new InStallWatch(function.bulkOut(), state, next -> stashed = next, config.stallMillis());
    this.events = new EventWriter(function.interruptIn(), config.eventQueueCapacity(), config.interruptMaxPacket());
    this.commands = new CommandReader(function.bulkOut(), config.transferSize());
    this.bufferA = ByteBuffer.allocateDirect(config.transferSize());
    this.bufferB = ByteBuffer.allocateDirect(config.transferSize());
  }

  /**
   * Publishes the function (descriptors, control handling), then starts the event writer (events
   * queued meanwhile wait for it): the gadget can be bound before its thread sets up its buffer.
   */
  public void start() throws IOException {
    function.start(new MtpClassRequests(state, events));
    events.start();
  }

  @Override public Command receiveCommand() throws IOException {
    io.awaitIdle();
    int maxPacket = state.awaitCommandBoundary();
    if (stashed != null) {
      Command c = stashed;
      stashed = null;
      state.beginTransaction(c.transactionId());
      return c;
    }
    Command c;
    try {
      c = commands.next(maxPacket);
    } catch (IOException e) {
      throw state.explain(e, null);
    }
    state.beginTransaction(c.transactionId());
    log.trace("command {}", c);
    return c;
  }

  @Override public DataIn receiveData(Command command) throws IOException {
    int tid = command.transactionId();
    int maxPacket = state.beginData(LinkState.Phase.DATA_OUT, tid);
    boolean opened = false;
    try {
      ByteBuffer first = bufferA.clear();
      int n;
      do {
        first.clear().limit(maxPacket);
        n = function.bulkOut().read(first); // a stray ZLP may still precede the container
      } while (n == 0);
      first.flip();
      ContainerHeader header = checkDataHeader(command, first, maxPacket);
      UsbDataIn in = new UsbDataIn(function.bulkOut(), io, state, command, maxPacket, header, first, maxPacket,
          bufferB, next -> stashed = next);
      opened = true;
      return in;
    } catch (MtpProtocolException | TransactionCancelledException e) {
      throw e;
    } catch (IOException e) {
      throw state.explain(e, tid);
    } finally {
      if (!opened) state.endData();
    }
  }

  private ContainerHeader checkDataHeader(Command command, ByteBuffer first, int maxPacket) throws IOException {
    int n = first.remaining();
    ContainerHeader header;
    try {
      header = ContainerHeader.decode(Unpooled.wrappedBuffer(first.duplicate()));
    } catch (MalformedContainerException e) {
      skipRestOfTransfer(n, maxPacket);
      throw new MtpProtocolException(GENERAL_ERROR, "expected the data container of " + command + ": " + e.getMessage());
    }
    if (header.type() == ContainerType.COMMAND) {
      Command next = CommandPackets.decode(first, 0, n, false);
      if (next != null) {
        // the host moved on without sending the data (it was killed, or it is a new host)
        log.warn("expected data for {} but the host sent {}; {} abandoned", command, next, command.transactionId());
        stashed = next;
        state.abandon(command.transactionId());
        throw new TransactionCancelledException(command.transactionId());
      }
    }
    if (header.type() != ContainerType.DATA) {
      skipRestOfTransfer(n, maxPacket);
      throw new MtpProtocolException(GENERAL_ERROR, "expected the data container of " + command + ", got a " + header.type() + " container");
    }
    if (header.code() != command.code() || header.transactionId() != command.transactionId()) {
      drain(header, first, maxPacket);
      boolean wrongTid = header.transactionId() != command.transactionId();
      throw new MtpProtocolException(wrongTid ? INVALID_TRANSACTION_ID : GENERAL_ERROR, String.format(
          "data container (code 0x%04X, transaction %d) does not match %s", header.code(), header.transactionId(), command));
    }
    return header;
  }

  /** Reads and drops a data container that does not belong to the command, so framing survives. */
  private void drain(ContainerHeader header, ByteBuffer first, int maxPacket) throws IOException {
    Command ghost = new Command(header.code(), header.transactionId());
    try (UsbDataIn junk = new UsbDataIn(function.bulkOut(), io, state, ghost, maxPacket, header, first, maxPacket,
        bufferB, next -> stashed = next)) {
      ByteBuffer sink = ByteBuffer.allocate(8192);
      while (junk.read(sink.clear()) >= 0) {
        // discard
      }
    }
  }

  private void skipRestOfTransfer(int firstCount, int maxPacket) throws IOException {
    if (firstCount < maxPacket) return;
    ByteBuffer sink = bufferB;
    int n;
    do {
      sink.clear();
      n = function.bulkOut().read(sink);
    } while (n == sink.capacity());
  }

  @Override public DataOut sendData(Command command, long length) throws IOException {
    if (length < DataIn.UNKNOWN_LENGTH) throw new IllegalArgumentException("negative data length " + length);
    int maxPacket = state.beginData(LinkState.Phase.DATA_IN, command.transactionId());
    return new UsbDataOut(function.bulkIn(), io, stallWatch, state, command, maxPacket, length, bufferA, bufferB);
  }

  @Override public void sendResponse(Response response) throws IOException {
    int tid = response.transactionId();
    if (state.isCancelled(tid)) {
      log.debug("response {} not sent: the host cancelled the transaction", response);
      return;
    }
    if (responseContainer == null) responseContainer = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(ContainerCodec.MAX_PARAM_CONTAINER));
    ByteBuf container = responseContainer.clear();
    ContainerCodec.encodeResponse(response, container);
    ByteBuffer packet = container.nioBuffer();
    try {
      int maxPacket = state.beginData(LinkState.Phase.TRANSACTION, tid);
      stallWatch.write(function.bulkIn(), packet, container.readableBytes() % maxPacket == 0, tid, maxPacket);
    } catch (TransactionCancelledException e) {
      return;
    } catch (IOException e) {
      IOException explained = state.explain(e, tid);
      if (explained instanceof TransactionCancelledException) return;
      throw explained;
    }
    state.endTransaction(tid);
    log.trace("response {}", response);
  }

  /** Cancel (class request) or Device Reset / disconnect for the transaction in flight, seen without a data phase. */
  @Override public void checkCancelled(Command command) throws IOException { state.checkTransaction(command.transactionId()); }

  @Override public void sendEvent(Event event) { events.offer(event); }

  /** The bulk I/O thread (for tests in this package). */
  BulkIo bulkIo() { return io; }

  /** Events dropped because the host did not read the interrupt pipe. */
  public long droppedEvents() { return events.droppedCount(); }

  /**
   * Shuts the transport down for good: any blocked call of the protocol thread ends with
   * {@link io.mtpbridge.core.transport.TransportClosedException}. The function itself is closed by
   * its owner.
   */
  @Override public void close() {
    state.close();
    events.close();
    stallWatch.close();
    io.close();
  }
}
