package io.mtpbridge.usb.mtp;

import io.mtpbridge.core.container.ContainerHeader;
import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataIn;
import io.mtpbridge.core.transport.TransactionCancelledException;
import io.mtpbridge.usb.function.BulkOutEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payload of a host-to-device data container, as a stream. The end comes from the container
 * length, or from a short packet when the length is 0xFFFFFFFF. Reads never ask for more than the
 * rest of the container (rounded up to whole packets), so the next command is never pulled into a
 * data buffer. While the handler consumes one buffer the next one is being read (double buffering).
 */
final class UsbDataIn implements DataIn {
  private static final Logger log = LoggerFactory.getLogger(UsbDataIn.class);

  private final BulkOutEndpoint out;
  private final BulkIo io;
  private final LinkState state;
  private final Command command;
  private final int maxPacket;
  private final long length;
  /** Payload bytes not yet read from the pipe (known length only). */
  private long unread;
  private boolean pipeDone;
  private final Consumer<Command> onNewCommand;

  private ByteBuffer current;
  private ByteBuffer spare;
  private Future<Integer> pending;
  private int pendingRequested;
  private boolean open = true;
  private IOException failure;

  /**
   * Starts the phase from its first packet, already read into {@code first} (flipped) and
   * checked by the caller to be this command's data container header.
   */
  UsbDataIn(BulkOutEndpoint out, BulkIo io, LinkState state, Command command, int maxPacket,
            ContainerHeader header, ByteBuffer first, int firstRequested, ByteBuffer spare,
            Consumer<Command> onNewCommand) {
    this.out = out;
    this.io = io;
    this.state = state;
    this.command = command;
    this.maxPacket = maxPacket;
    this.length = header.payloadLength();
    this.onNewCommand = onNewCommand;
    this.current = first;
    this.spare = spare;
    int firstCount = first.limit();
    first.position(ContainerHeader.SIZE);
    if (length >= 0) {
      if (first.remaining() > length) {
        log.debug("{} bytes after the end of the data container ignored", first.remaining() - length);
        first.limit((int) (ContainerHeader.SIZE + length));
      }
      unread = length - first.remaining();
      pipeDone = unread == 0;
    } else {
      // a lone 12-byte header does not end an unknown-length phase: its payload follows
      pipeDone = firstCount < firstRequested && firstCount > ContainerHeader.SIZE;
    }
    if (!pipeDone) startRead();
  }

  @Override public long length() { return length; }

  @Override public int read(ByteBuffer dst) throws IOException {
    if (!open) throw new ClosedChannelException();
    if (failure != null) throw failure;
    try {
      while (!current.hasRemaining()) {
        if (pending == null) return -1;
        nextBuffer();
      }
    } catch (IOException e) {
      failure = state.explain(e, command.transactionId());
      throw failure;
    }
    int n = Math.min(dst.remaining(), current.remaining());
    ByteBuffer slice = current.duplicate();
    slice.limit(slice.position() + n);
    dst.put(slice);
    current.position(current.position() + n);
    return n;
  }

  private void startRead() {
    ByteBuffer target = spare;
    target.clear();
    boolean restFits = false;
    if (length >= 0) {
      long packets = (unread + maxPacket - 1) / maxPacket;
      restFits = packets * maxPacket <= target.capacity();
      target.limit((int) Math.min(target.capacity(), packets * maxPacket));
    }
    pendingRequested = target.limit();
    if (restFits) {
      // The rest of a small container: read here, with no hand-off to the bulk I/O thread (there
      // is nothing to overlap the read with). Outcomes travel the same way as a background read's.
      CompletableFuture<Integer> done = new CompletableFuture<>();
      try {
        done.complete(out.read(target));
      } catch (IOException | RuntimeException e) {
        done.completeExceptionally(e);
      }
      pending = done;
    } else {
      pending = io.submit(() -> out.read(target));
    }
  }

  private void nextBuffer() throws IOException {
    state.checkTransaction(command.transactionId());
    int n = BulkIo.await(pending);
    pending = null;
    ByteBuffer filled = spare;
    spare = current;
    current = filled;
    current.flip();
    boolean transferEnded = n < pendingRequested;
    if (length >= 0) {
      if (transferEnded && n < unread) detectAbandon(n);
      if (n > unread) {
        log.debug("{} bytes after the end of the data container ignored", n - unread);
        current.limit((int) unread);
      }
      unread -= current.remaining();
      pipeDone = unread == 0;
    } else {
      pipeDone = transferEnded;
    }
    if (!pipeDone) startRead();
  }

  /**
   * A short packet before the announced end is legal (libmtp sends a 512-byte first transfer even
   * at super speed), but when that packet is a whole command container the host has given up on
   * this upload (it was killed and a new one started): stop here, keep the command for later.
   */
  private void detectAbandon(int n) throws IOException {
    int tail = CommandPackets.shortTail(n, maxPacket);
    Command next = tail > 0 ? CommandPackets.decode(current, n - tail, tail, true) : null;
    if (next == null) return;
    log.warn("host abandoned transaction {} after a partial data phase; next command {}", command.transactionId(), next);
    onNewCommand.accept(next);
    state.abandon(command.transactionId());
    pipeDone = true;
    throw new TransactionCancelledException(command.transactionId());
  }

  @Override public boolean isOpen() { return open; }

  /** Discards the unread rest of the phase so the next command is framed correctly. */
  @Override public void close() throws IOException {
    if (!open) return;
    open = false;
    try {
      if (failure == null && !state.isCancelled(command.transactionId())) {
        current.position(current.limit());
        try {
          long skipped = 0;
          while (pending != null) {
            nextBuffer();
            skipped += current.remaining();
            current.position(current.limit());
          }
          if (skipped > 0) log.debug("discarded {} unread bytes of the data phase of {}", skipped, command);
        } catch (IOException e) {
          failure = state.explain(e, command.transactionId());
          throw failure;
        }
      }
    } finally {
      if (pending != null) io.awaitIdle();
      pending = null;
      state.endData();
    }
  }
}
