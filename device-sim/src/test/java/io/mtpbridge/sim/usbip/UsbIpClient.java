package io.mtpbridge.sim.usbip;

import io.mtpbridge.host.link.InitiatorLink;
import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small USB/IP client (what vhci-hcd does in the kernel), for tests and the benchmark: imports a
 * device, enumerates it like a hub driver, and offers its pipes as an {@link InitiatorLink}.
 * URBs can also be submitted asynchronously and unlinked, to exercise the server's rules.
 */
public final class UsbIpClient implements InitiatorLink {
  public record Ret(int seqnum, int status, int actual, byte[] data) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final AtomicInteger nextSeq = new AtomicInteger(1);
  private final Map<Integer, Submitted> submits = new ConcurrentHashMap<>();
  private final Map<Integer, CompletableFuture<Integer>> unlinks = new ConcurrentHashMap<>();
  /** Every seqnum a RET_SUBMIT arrived for, to check that an unlinked URB never completes. */
  public final List<Integer> completedSeqnums = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;
  private volatile IOException failure;
  private int bulkMaxPacket = 512;

  private UsbIpClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 256 * 1024));
    this.out = new BufferedOutputStream(socket.getOutputStream(), 256 * 1024);
    this.reader = new Thread(this::readLoop, "usbip-client-reader");
    this.reader.setDaemon(true);
  }

  /** OP_REQ_DEVLIST: the bus ids the server exports. */
  public static List<String> deviceList(InetSocketAddress server) throws IOException {
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      DataInputStream in = new DataInputStream(s.getInputStream());
      s.getOutputStream().write(ByteBuffer.allocate(8).putShort((short) 0x0111).putShort((short) 0x8005).putInt(0).array());
      in.readShort();
      int code = in.readUnsignedShort();
      int status = in.readInt();
      if (code != 0x0005 || status != 0) throw new IOException("bad devlist reply " + code + "/" + status);
      int n = in.readInt();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] dev = new byte[UsbIpProtocol.DEVICE_STRUCT_SIZE];
        in.readFully(dev);
        ids.add(cString(dev, 256, 32));
        int interfaces = dev[dev.length - 1];
        in.readFully(new byte[4 * interfaces]);
      }
      return ids;
    }
  }

  /** Raw devlist reply bytes, for layout checks. */
  public static byte[] deviceListRaw(InetSocketAddress server) throws IOException {
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.getOutputStream().write(ByteBuffer.allocate(8).putShort((short) 0x0111).putShort((short) 0x8005).putInt(0).array());
      return s.getInputStream().readAllBytes();
    }
  }

  /** OP_REQ_IMPORT, then enumeration; throws when the server refuses (status in the message). */
  public static UsbIpClient attach(InetSocketAddress server, String busId, boolean configure) throws IOException {
    Socket s = new Socket(server.getAddress(), server.getPort());
    s.setTcpNoDelay(true);
    ByteBuffer req = ByteBuffer.allocate(8 + 32).putShort((short) 0x0111).putShort((short) 0x8003).putInt(0);
    req.put(busId.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().write(req.array());
    DataInputStream in = new DataInputStream(s.getInputStream());
    in.readShort();
    int code = in.readUnsignedShort();
    int status = in.readInt();
    if (code != 0x0003 || status != 0) {
      s.close();
      throw new IOException("import refused: status " + status);
    }
    byte[] dev = new byte[UsbIpProtocol.DEVICE_STRUCT_SIZE];
    in.readFully(dev);
    UsbIpClient c = new UsbIpClient(s);
    c.reader.start();
    if (configure) c.enumerate();
    return c;
  }

  /** What the hub driver does: device descriptor, configuration, SET_CONFIGURATION(1). */
  public void enumerate() throws IOException {
    ByteBuffer dev = ByteBuffer.allocate(18);
    control(0x80, 6, 0x0100, 0, dev, 2000);
    ByteBuffer cfg = ByteBuffer.allocate(255).order(ByteOrder.LITTLE_ENDIAN);
    int n = control(0x80, 6, 0x0200, 0, cfg, 2000);
    for (int i = 0; i + 6 < n; i += cfg.get(i) & 0xFF) {
      if (cfg.get(i + 1) == 5 && (cfg.get(i + 2) & 0xFF) == 0x81) bulkMaxPacket = cfg.getShort(i + 4) & 0xFFFF;
      if ((cfg.get(i) & 0xFF) == 0) break;
    }
    control(0x00, 9, 1, 0, ByteBuffer.allocate(0), 2000);
  }

  /** A submitted URB: its seqnum and the RET_SUBMIT to come. */
  public record Pending(int seqnum, CompletableFuture<Ret> result) {}

  public Pending submit(int ep, boolean dirIn, int flags, int length, byte[] setup, byte[] outData) throws IOException {
    CompletableFuture<Ret> f = new CompletableFuture<>();
    int seq;
    synchronized (out) {
      seq = nextSeq.getAndIncrement();
      submits.put(seq, new Submitted(f, dirIn));
      ByteBuffer h = ByteBuffer.allocate(UsbIpProtocol.HEADER_SIZE);
      h.putInt(UsbIpProtocol.CMD_SUBMIT).putInt(seq).putInt(0x10002).putInt(dirIn ? 1 : 0).putInt(ep);
      h.putInt(flags).putInt(length).putInt(0).putInt(0).putInt(0);
      h.put(setup == null ? new byte[8] : setup);
      out.write(h.array());
      if (!dirIn && outData != null) out.write(outData, 0, length);
      out.flush();
    }
    return new Pending(seq, f);
  }

  /** CMD_UNLINK of {@code victim}; completes with the RET_UNLINK status. */
  public CompletableFuture<Integer> unlink(int victim) throws IOException {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    synchronized (out) {
      int seq = nextSeq.getAndIncrement();
      unlinks.put(seq, f);
      ByteBuffer h = ByteBuffer.allocate(UsbIpProtocol.HEADER_SIZE);
      h.putInt(UsbIpProtocol.CMD_UNLINK).putInt(seq).putInt(0x10002).putInt(0).putInt(0).putInt(victim);
      out.write(h.array());
      out.flush();
    }
    return f;
  }

  /** Sends raw bytes (fuzzing). */
  public void sendRaw(byte[] bytes) throws IOException {
    synchronized (out) {
      out.write(bytes);
      out.flush();
    }
  }

  public boolean isConnectionOpen() { return failure == null && reader.isAlive(); }

  private record Submitted(CompletableFuture<Ret> future, boolean in) {}

  private void readLoop() {
    try {
      byte[] header = new byte[UsbIpProtocol.HEADER_SIZE];
      while (true) {
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header);
        int command = h.getInt();
        int seq = h.getInt();
        h.position(20);
        int status = h.getInt();
        if (command == UsbIpProtocol.RET_SUBMIT) {
          int actual = h.getInt();
          Submitted s = submits.remove(seq);
          if (s == null) throw new IOException("RET_SUBMIT for unknown or unlinked seqnum " + seq);
          completedSeqnums.add(seq);
          byte[] data = null;
          if (s.in()) {
            data = new byte[actual];
            in.readFully(data);
          }
          s.future().complete(new Ret(seq, status, actual, data));
        } else if (command == UsbIpProtocol.RET_UNLINK) {
          CompletableFuture<Integer> f = unlinks.remove(seq);
          if (f == null) throw new IOException("RET_UNLINK for unknown seqnum " + seq);
          f.complete(status);
        } else {
          throw new IOException("unexpected command " + command);
        }
      }
    } catch (IOException e) {
      failure = e;
      submits.values().forEach(s -> s.future().completeExceptionally(e));
      unlinks.values().forEach(f -> f.completeExceptionally(e));
    }
  }

  /** The reader's failure, if the server broke the protocol (or the connection dropped). */
  public IOException failure() { return failure; }

  private static Ret await(CompletableFuture<Ret> f, long timeoutMillis) throws IOException {
    try {
      return timeoutMillis <= 0 ? f.get() : f.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (ExecutionException e) {
      throw new UsbTransferException(TransferStatus.DISCONNECTED, 0, "connection lost: " + e.getCause());
    }
  }

  /** Waits for the URB; on timeout unlinks it, as usbfs does, and reports TIMEOUT unless it completed meanwhile. */
  private Ret complete(Pending p, long timeoutMillis) throws IOException {
    Ret r = await(p.result(), timeoutMillis);
    if (r != null) return r;
    int status;
    try {
      status = unlink(p.seqnum()).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new UsbTransferException(TransferStatus.DISCONNECTED, 0, "unlink failed: " + e);
    }
    if (status == 0) {
      r = await(p.result(), 5000);
      if (r != null) return r;
    } else {
      submits.remove(p.seqnum());
    }
    throw new UsbTransferException(TransferStatus.TIMEOUT, 0, "URB " + p.seqnum() + " timed out");
  }

  static void check(Ret r) throws UsbTransferException {
    if (r.status() == 0) return;
    TransferStatus s = switch (-r.status()) {
      case 32 -> TransferStatus.STALL;
      case 75 -> TransferStatus.OVERFLOW;
      case 104 -> TransferStatus.CANCELLED;
      case 121 -> TransferStatus.SHORT;
      case 110 -> TransferStatus.TIMEOUT;
      default -> TransferStatus.DISCONNECTED;
    };
    throw new UsbTransferException(s, r.actual(), "URB " + r.seqnum() + " ended with status " + r.status());
  }

  @Override public int bulkMaxPacket() { return bulkMaxPacket; }

  @Override public void bulkOut(ByteBuffer src, boolean zeroPacket, long timeoutMillis) throws IOException {
    byte[] data = new byte[src.remaining()];
    src.get(data);
    check(complete(submit(1, false, zeroPacket ? UsbIpProtocol.URB_ZERO_PACKET : 0, data.length, null, data), timeoutMillis));
  }

  @Override public int bulkIn(ByteBuffer dst, long timeoutMillis) throws IOException {
    return inTransfer(1, dst, timeoutMillis);
  }

  @Override public int interruptIn(ByteBuffer dst, long timeoutMillis) throws IOException {
    return inTransfer(2, dst, timeoutMillis);
  }

  private int inTransfer(int ep, ByteBuffer dst, long timeoutMillis) throws IOException {
    Ret r = complete(submit(ep, true, 0, dst.remaining(), null, null), timeoutMillis);
    if (r.data() != null) dst.put(r.data(), 0, r.actual());
    check(r);
    return r.actual();
  }

  @Override public int control(int requestType, int request, int value, int index, ByteBuffer data, long timeoutMillis) throws IOException {
    boolean dirIn = (requestType & 0x80) != 0;
    int length = data.remaining();
    ByteBuffer setup = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    setup.put((byte) requestType).put((byte) request).putShort((short) value).putShort((short) index).putShort((short) length);
    byte[] d = null;
    if (!dirIn) {
      d = new byte[length];
      data.duplicate().get(d);
    }
    Ret r = complete(submit(0, dirIn, 0, length, setup.array(), d), timeoutMillis);
    check(r);
    if (dirIn) data.put(r.data(), 0, r.actual()); else data.position(data.limit());
    return r.actual();
  }

  @Override public void close() throws IOException { socket.close(); }

  private static String cString(byte[] b, int off, int max) {
    int n = 0;
    while (n < max && b[off + n] != 0) n++;
    return new String(b, off, n, StandardCharsets.US_ASCII);
  }
}
