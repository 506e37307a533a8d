package io.mtpbridge.usb.mtp;

import io.mtpbridge.core.container.ContainerHeader;
import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.DataOut;
import io.mtpbridge.usb.function.BulkInEndpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.Future;

/**
 * A device-to-host data container, streamed. The header and the first payload bytes share the
 * first packet; every endpoint write but the last is a full buffer (a whole number of packets);
 * the container ends with a short packet, or with a ZLP when its length is a multiple of the
 * negotiated packet size. One buffer is on the wire (written by the bulk I/O thread) while the
 * handler fills the other; a filled buffer is queued to the bulk I/O thread before the one on the
 * wire is awaited, so that thread goes from one write straight to the next and the endpoint is
 * never left without a transfer while the protocol thread wakes up (see {@link #flip}). The last
 * buffer is written by the calling thread itself. Object content is read straight into the
 * buffers ({@link #transferFrom}), without a copy through another buffer. A phase of unknown
 * length is announced as 0xFFFFFFFF only when it is longer than one buffer; a shorter one gets
 * its exact length (see {@link #exactLength}).
 */
final class UsbDataOut implements DataOut {
  private final BulkInEndpoint in;
  private final BulkIo io;
  private final InStallWatch stallWatch;
  private final LinkState state;
  private final Command command;
  private final int maxPacket;
  /** Payload bytes announced, or -1 when unknown. */
  private final long announced;
  private long written;
  /** Bytes handed to the endpoint so far, header included. */
  private long sent;

  private ByteBuffer fill;
  private ByteBuffer spare;
  private Future<Integer> pending;
  private boolean open = true;
  private IOException failure;

  UsbDataOut(BulkInEndpoint in, BulkIo io, InStallWatch stallWatch, LinkState state, Command command, int maxPacket,
             long length, ByteBuffer a, ByteBuffer b) {
    this.in = in;
    this.io = io;
    this.stallWatch = stallWatch;
    this.state = state;
    this.command = command;
    this.maxPacket = maxPacket;
    this.announced = length;
    this.fill = a.clear();
    this.spare = b.clear();
    ByteBuf header = Unpooled.wrappedBuffer(fill).writerIndex(0);
    // unknown (-1) and 4 GiB+ payloads get the 0xFFFFFFFF length, ended by a short packet
    ContainerHeader.dataHeader(length, command.code(), command.transactionId()).encode(header);
    fill.position(ContainerHeader.SIZE);
  }

  @Override public int write(ByteBuffer src) throws IOException {
    int n = src.remaining();
    checkWritable(n);
    try {
      while (src.hasRemaining()) {
        if (!fill.hasRemaining()) flip();
        int chunk = Math.min(src.remaining(), fill.remaining());
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + chunk);
        fill.put(part);
        src.position(src.position() + chunk);
      }
    } catch (IOException e) {
      failure = state.explain(e, command.transactionId());
      throw failure;
    }
    written += n;
    return n;
  }

  /**
   * Reads object content straight into the transfer buffers: no copy through another buffer, and
   * each read fills what is left of the buffer (a file read of up to one transfer).
   */
  @Override public long transferFrom(ReadableByteChannel src, long count, ByteBuffer via) throws IOException {
    if (count < 0) throw new IllegalArgumentException("negative count " + count);
    checkWritable(count);
    long moved = 0;
    while (moved < count) {
      if (!fill.hasRemaining()) {
        try {
          flip();
        } catch (IOException e) {
          failure = state.explain(e, command.transactionId());
          throw failure;
        }
      }
      int room = (int) Math.min(fill.remaining(), count - moved);
      int limit = fill.limit();
      fill.limit(fill.position() + room);
      int n;
      try {
        n = src.read(fill); // the storage's failures are the caller's, not the link's
      } finally {
        fill.limit(limit);
      }
      if (n < 0) break;
      moved += n;
      written += n;
    }
    return moved;
  }

  private void checkWritable(long n) throws IOException {
    if (!open) throw new ClosedChannelException();
    if (failure != null) throw failure;
    if (announced >= 0 && written + n > announced) {
      throw new IOException("data phase of " + command + " announced " + announced + " bytes; writing " + (written + n) + " is too many");
    }
  }

  /**
   * Queues the full buffer to the bulk I/O thread, then waits for the write before it (which
   * gives back the other buffer) and continues there. Queuing before waiting keeps the next
   * transfer ready behind the one on the wire: the bulk I/O thread starts it the moment the
   * previous one completes, instead of idling the endpoint until this thread has woken up and
   * handed it over (under load, a scheduler delay per transfer).
   */
  private void flip() throws IOException {
    state.checkTransaction(command.transactionId());
    ByteBuffer full = fill.flip();
    sent += full.remaining();
    Future<Integer> queued = io.submit(() -> {
      in.write(full);
      return 0;
    });
    Future<Integer> previous = pending;
    pending = queued;
    fill = spare;
    spare = full;
    // the buffer to fill next is the one the previous write is sending
    if (previous != null) stallWatch.await(previous, command.transactionId(), maxPacket);
    fill.clear();
  }

  /**
   * An unknown-length phase that ended within its first buffer (the header is still in it) goes
   * out with its exact length instead of 0xFFFFFFFF. libmtp takes a 0xFFFFFFFF container whose
   * first packet is short for the start of a 4 GiB one: it reads the response as more data, then
   * waits for a response until its USB timeout (60 s) and gives the request up. Its cached device
   * open asks every object's properties that way, and a storage of a few objects answers in
   * under one packet.
   */
  private void exactLength(ByteBuffer firstAndLast) {
    ContainerHeader.dataHeader(written, command.code(), command.transactionId())
        .encode(Unpooled.wrappedBuffer(firstAndLast).writerIndex(0));
  }

  @Override public boolean isOpen() { return open; }

  /**
   * Ends the phase. Closing before the announced length still ends the USB transfer (so the host
   * is not left waiting for bytes that never come) and then reports the shortfall.
   */
  @Override public void close() throws IOException {
    if (!open) return;
    open = false;
    try {
      if (failure != null) return;
      try {
        state.checkTransaction(command.transactionId());
        if (pending != null) stallWatch.await(pending, command.transactionId(), maxPacket);
        pending = null;
        // The last buffer goes out from this thread: a dataset that fits one buffer (most of a
        // listing's transactions) costs no hand-off to the bulk I/O thread and back.
        ByteBuffer last = fill.flip();
        if (announced < 0 && sent == 0) exactLength(last);
        sent += last.remaining();
        stallWatch.write(in, last, sent % maxPacket == 0, command.transactionId(), maxPacket);
      } catch (IOException e) {
        failure = state.explain(e, command.transactionId());
        throw failure;
      }
      if (announced >= 0 && written < announced) {
        throw new IOException("data phase of " + command + " ended after " + written + " of " + announced + " announced bytes");
      }
    } finally {
      if (pending != null) io.awaitIdle();
      pending = null;
      state.endData();
    }
  }
}
