package io.mtpbridge.sim.udc;

import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of one endpoint: a bounded queue of packets between a producer (who writes
 * transfers) and a consumer (who reads transfers), with exact USB packet semantics.
 *
 * <p>A written transfer becomes one {@link Chunk} per up to {@code chunkBytes} bytes: a run of
 * full packets, optionally ended by one short packet. Chunks always start on a packet boundary,
 * so per-packet objects are never needed (the fast path for large transfers), yet a read still
 * completes exactly where a USB host controller would: at a short packet, at a ZLP, or when the
 * reader's buffer is full. A chunk that ends with a short packet or is a ZLP is "terminating":
 * a read never continues past it, so two transfers are never merged after a short packet.
 *
 * <p>Back-pressure: the producer blocks while {@code maxChunks} chunks are queued. Data is copied
 * once on each side, outside the lock, so producer and consumer copy in parallel.
 *
 * <p>One producer and one consumer at a time (transfers on an endpoint are sequential); further
 * callers wait their turn.
 */
final class PacketPipe {
  /** Pieces smaller than this get an exact-size array instead of a pooled one. */
  private static final int SMALL_PIECE = 4096;

  private final String name;
  private final int maxPacket;
  private final int chunkBytes;
  private final int maxChunks;
  /** Device-side readers (like FunctionFS) keep the rest of a packet that did not fit for the next read. */
  private final boolean consumerKeepsPacketRest;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ReentrantLock producerTurn = new ReentrantLock();
  private final ReentrantLock consumerTurn = new ReentrantLock();

  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private final ArrayDeque<byte[]> pool = new ArrayDeque<>();
  private int reserved;
  /** Bumped whenever queued data is thrown away, so a transfer in progress notices it lost its data. */
  private long generation;
  private boolean connected;
  private boolean producerAborted;
  private boolean consumerAborted;
  private boolean halted;
  /** Readers waiting for data now (guarded by lock). */
  private int waitingReaders;

  PacketPipe(String name, int maxPacket, int chunkBytes, int maxChunks, boolean consumerKeepsPacketRest) {
    if (maxPacket <= 0) throw new IllegalArgumentException("max packet " + maxPacket);
    this.name = name;
    this.maxPacket = maxPacket;
    this.chunkBytes = Math.max(maxPacket, chunkBytes - chunkBytes % maxPacket);
    this.maxChunks = maxChunks;
    this.consumerKeepsPacketRest = consumerKeepsPacketRest;
  }

  int maxPacket() { return maxPacket; }

  /**
   * Readers inside {@link #read} waiting for data now: a test acts on a blocked reader once this
   * counts it (the count changes under the lock the waiting reader has released).
   */
  int waitingReaders() {
    lock.lock();
    try {
      return waitingReaders;
    } finally {
      lock.unlock();
    }
  }

  String name() { return name; }

  /**
   * Writes {@code src} as one transfer. {@code zeroPacket} ends a non-empty transfer that is a
   * multiple of the packet size with a ZLP; an empty {@code src} is always one ZLP. Returns once
   * every byte is queued. {@code stallApplies}: the host producer sees the endpoint's halt.
   */
  void write(ByteBuffer src, boolean zeroPacket, long timeoutNanos, boolean stallApplies) throws UsbTransferException {
    write(new ByteBuffer[] {src}, zeroPacket, timeoutNanos, stallApplies);
  }

  /**
   * Writes the pieces back to back as one transfer (all but the last should be whole packets).
   * Data dropped meanwhile (abort, unplug) fails the whole transfer, so no piece of it can follow
   * a cancel.
   */
  void write(ByteBuffer[] pieces, boolean zeroPacket, long timeoutNanos, boolean stallApplies) throws UsbTransferException {
    long totalLong = 0;
    for (ByteBuffer p : pieces) totalLong += p.remaining();
    int total = (int) Math.min(Integer.MAX_VALUE, totalLong);
    boolean sendZlp = totalLong == 0 || (zeroPacket && totalLong % maxPacket == 0);
    lockTurn(producerTurn, 0);
    try {
      long deadline = deadline(timeoutNanos);
      long gen = startGeneration();
      int done = 0;
      for (ByteBuffer src : pieces) {
        while (src.hasRemaining()) {
          int n = Math.min(src.remaining(), chunkBytes);
          byte[] array = reserveSlot(gen, deadline, done, stallApplies, n);
          src.get(array, 0, n);
          done += n;
          append(new Chunk(array, n, n % maxPacket != 0), gen, done);
        }
      }
      if (sendZlp) {
        reserveSlot(gen, deadline, total, stallApplies, 0);
        append(new Chunk(null, 0, true), gen, total);
      }
    } finally {
      producerTurn.unlock();
    }
  }

  /**
   * Reads one transfer into {@code dst}: completes at a short packet, a ZLP, or when {@code dst}
   * is full. Returns the byte count (0 for a ZLP).
   */
  int read(ByteBuffer dst, long timeoutNanos, boolean stallApplies) throws UsbTransferException {
    if (!dst.hasRemaining()) return 0;
    lockTurn(consumerTurn, 0);
    try {
      long deadline = deadline(timeoutNanos);
      int total = 0;
      while (true) {
        Chunk chunk;
        long gen;
        lock.lock();
        try {
          while (true) {
            checkConsumer(total, stallApplies);
            if (!queue.isEmpty()) break;
            waitingReaders++;
            try {
              await(deadline, total, "no data");
            } finally {
              waitingReaders--;
            }
          }
          chunk = queue.pollFirst();
          gen = generation;
          changed.signalAll();
        } finally {
          lock.unlock();
        }
        if (chunk.length == 0) {
          recycle(chunk);
          return total;
        }
        int space = dst.remaining();
        int avail = chunk.remaining();
        if (avail <= space) {
          dst.put(chunk.array, chunk.offset, avail);
          total += avail;
          recycle(chunk);
          if (chunk.terminating || avail == space) return total;
          continue;
        }
        int take = consumerKeepsPacketRest ? space : space - space % maxPacket;
        dst.put(chunk.array, chunk.offset, take);
        chunk.offset += take;
        total += take;
        if (take == space) {
          putBack(chunk, gen);
          return total;
        }
        // The next packet does not fit the host's buffer: what fits arrives, the rest is lost.
        int packetRest = Math.min(maxPacket, chunk.remaining());
        int partial = space - take;
        dst.put(chunk.array, chunk.offset, partial);
        chunk.offset += packetRest;
        total += partial;
        if (chunk.remaining() > 0) putBack(chunk, gen); else recycle(chunk);
        throw new UsbTransferException(TransferStatus.OVERFLOW, total,
            name + ": a " + packetRest + "-byte packet does not fit the " + partial + " bytes left in the buffer");
      }
    } finally {
      consumerTurn.unlock();
    }
  }

  /** Link up (configuration selected): queues start empty. */
  void connect() {
    lock.lock();
    try {
      dropQueued();
      connected = true;
      halted = false;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Link down: every waiting transfer fails and queued data is gone. */
  void disconnect() {
    lock.lock();
    try {
      connected = false;
      dropQueued();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean isConnected() {
    lock.lock();
    try {
      return connected;
    } finally {
      lock.unlock();
    }
  }

  /** The device-side producer gives up (cancel): blocked and future writes fail, queued data is dropped. */
  void abortProducer(boolean aborted) {
    lock.lock();
    try {
      producerAborted = aborted;
      if (aborted) dropQueued();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The device-side consumer gives up (cancel): blocked and future reads fail, queued data is dropped. */
  void abortConsumer(boolean aborted) {
    lock.lock();
    try {
      consumerAborted = aborted;
      if (aborted) dropQueued();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void setHalted(boolean halt) {
    lock.lock();
    try {
      halted = halt;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean isHalted() {
    lock.lock();
    try {
      return halted;
    } finally {
      lock.unlock();
    }
  }

  /**
   * True while at least one full packet of written data waits in the queue: the middle of a
   * data phase. A lone short transfer or ZLP (a response the device sent early, say, after
   * refusing an operation whose data the host still sends) does not count, nor does a producer
   * still inside {@code write} after the consumer took everything (the consumer may already
   * have moved on). A producer blocked for room always has a full queue.
   */
  boolean hasUndeliveredData() {
    lock.lock();
    try {
      for (Chunk c : queue) if (c.remaining() >= maxPacket) return true;
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Bytes queued and not yet read (for tests and diagnostics). */
  long queuedBytes() {
    lock.lock();
    try {
      long sum = 0;
      for (Chunk c : queue) sum += c.remaining();
      return sum;
    } finally {
      lock.unlock();
    }
  }

  private long startGeneration() throws UsbTransferException {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  private byte[] reserveSlot(long gen, long deadline, int done, boolean stallApplies, int n) throws UsbTransferException {
    lock.lock();
    try {
      while (true) {
        checkProducer(gen, done, stallApplies);
        if (queue.size() + reserved < maxChunks) break;
        await(deadline, done, "the other side is not reading");
      }
      reserved++;
      if (n == 0) return null;
      if (n >= SMALL_PIECE && n <= chunkBytes) {
        byte[] pooled = pool.pollFirst();
        return pooled != null ? pooled : new byte[chunkBytes];
      }
      return new byte[n];
    } finally {
      lock.unlock();
    }
  }

  private void append(Chunk chunk, long gen, int done) throws UsbTransferException {
    lock.lock();
    try {
      reserved--;
      if (gen != generation) {
        recycleLocked(chunk);
        checkProducer(gen, done, false);
      }
      queue.addLast(chunk);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void putBack(Chunk chunk, long gen) {
    lock.lock();
    try {
      if (gen == generation) queue.addFirst(chunk); else recycleLocked(chunk);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void recycle(Chunk chunk) {
    if (chunk.array == null || chunk.array.length != chunkBytes) return;
    lock.lock();
    try {
      recycleLocked(chunk);
    } finally {
      lock.unlock();
    }
  }

  private void recycleLocked(Chunk chunk) {
    if (chunk.array != null && chunk.array.length == chunkBytes && pool.size() < maxChunks) pool.addLast(chunk.array);
  }

  private void dropQueued() {
    generation++;
    for (Chunk c : queue) recycleLocked(c);
    queue.clear();
  }

  private void checkProducer(long gen, int done, boolean stallApplies) throws UsbTransferException {
    if (!connected) throw new UsbTransferException(TransferStatus.DISCONNECTED, done, name + ": not connected");
    if (producerAborted) throw new UsbTransferException(TransferStatus.CANCELLED, done, name + ": aborted");
    if (gen != generation) throw new UsbTransferException(TransferStatus.CANCELLED, done, name + ": queued data was discarded");
    if (stallApplies && halted) throw new UsbTransferException(TransferStatus.STALL, done, name + ": endpoint halted");
  }

  private void checkConsumer(int done, boolean stallApplies) throws UsbTransferException {
    if (!connected) throw new UsbTransferException(TransferStatus.DISCONNECTED, done, name + ": not connected");
    if (consumerAborted) throw new UsbTransferException(TransferStatus.CANCELLED, done, name + ": aborted");
    if (stallApplies && halted) throw new UsbTransferException(TransferStatus.STALL, done, name + ": endpoint halted");
  }

  private void await(long deadline, int done, String what) throws UsbTransferException {
    try {
      if (deadline == 0) {
        changed.await();
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) throw new UsbTransferException(TransferStatus.TIMEOUT, done, name + ": timed out, " + what);
      changed.awaitNanos(left);
    } catch (InterruptedException e) {
      // An interrupt is how a waiting transfer is unlinked (USB/IP CMD_UNLINK, host shutdown).
      Thread.currentThread().interrupt();
      throw new UsbTransferException(TransferStatus.CANCELLED, done, name + ": transfer unlinked");
    }
  }

  private void lockTurn(ReentrantLock turn, int done) throws UsbTransferException {
    try {
      turn.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsbTransferException(TransferStatus.CANCELLED, done, name + ": transfer unlinked");
    }
  }

  private static long deadline(long timeoutNanos) {
    if (timeoutNanos <= 0) return 0;
    long d = System.nanoTime() + timeoutNanos;
    return d == 0 ? 1 : d;
  }

  static long millisToNanos(long millis) { return millis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(millis); }

  /** A run of whole packets, ended by a short packet when {@code terminating}; length 0 is a ZLP. */
  private static final class Chunk {
    final byte[] array;
    final int length;
    final boolean terminating;
    int offset;

    Chunk(byte[] array, int length, boolean terminating) {
      this.array = array;
      this.length = length;
      this.terminating = terminating;
    }

    int remaining() { return length - offset; }
  }
}
