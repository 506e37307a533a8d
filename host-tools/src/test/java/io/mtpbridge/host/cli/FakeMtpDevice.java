package io.mtpbridge.host.cli;

import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.StorageInfo;
import io.mtpbridge.host.link.AttachedDevice;
import io.mtpbridge.host.link.DeviceSource;
import io.mtpbridge.host.link.InitiatorLink;
import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.mtpbridge.host.Cancellation;

/**
 * A device that says whatever a test wants it to (a hostile or broken one): one storage
 * "Internal", objects with any names, parents, listings, announced sizes and data lengths. It
 * speaks MTP over a link with real packet framing, so mtpbridge meets it exactly as it would meet
 * it on USB. Handles of the root's children are listed under the root; {@link #list} overrides
 * what GetObjectHandles answers for a folder (a cycle, a duplicate).
 */
final class FakeMtpDevice implements InitiatorLink {
  static final int STORAGE = 0x00010001;
  private static final int MP = 512;

  /** One object: what GetObjectInfo says of it and the bytes GetObject sends (a repeated pattern). */
  static final class Obj {
    final int handle;
    int parent; // 0: the storage root
    String name;
    boolean folder;
    long announced; // ObjectCompressedSize (0xFFFFFFFF: ask ObjectSize)
    long actual;    // bytes GetObject sends
    boolean unknownLength; // the data container says 0xFFFFFFFF
    String date = "20200102T030405";

    Obj(int handle) { this.handle = handle; }
  }

  final Map<Integer, Obj> objects = new LinkedHashMap<>();
  final Map<Integer, int[]> listings = new LinkedHashMap<>();
  /** Whether GetObjectPropValue(ObjectSize) is answered (else OperationNotSupported). */
  boolean objectSizeProperty = true;
  /** Whether SetObjectPropValue is served (a camera or an old player: not). */
  boolean rename = true;
  /** Whether DeviceInfo offers the backup extension (whose operations it then refuses). */
  boolean backup;
  /** Every operation code received, in order. */
  final List<Integer> operations = new ArrayList<>();
  /** Bytes GetObject has sent so far (all objects). */
  long sentObjectBytes;
  private final ArrayDeque<Transfer> in = new ArrayDeque<>();
  private int nextHandle = 1;
  /** A command whose data phase from the host is being received, its bytes so far and its length. */
  private int[] pending;
  private final ByteArrayOutputStream pendingData = new ByteArrayOutputStream();
  private long pendingReceived, pendingLength;
  private int lastSent; // the object SendObjectInfo announced

  List<String> names() {
    return objects.values().stream().map(o -> o.name).sorted().toList();
  }

  Obj file(int parent, String name, long size) {
    Obj o = new Obj(nextHandle++);
    o.parent = parent;
    o.name = name;
    o.announced = size;
    o.actual = size;
    objects.put(o.handle, o);
    return o;
  }

  Obj folder(int parent, String name) {
    Obj o = file(parent, name, 0);
    o.folder = true;
    return o;
  }

  void list(int folder, int... handles) {
    listings.put(folder, handles);
  }

  // ---- mtpbridge against it --------------------------------------------------------------------

  /** What one mtpbridge run printed and returned. */
  record Result(int status, String out, String err) {
    @Override public String toString() { return "status " + status + "\n--- out\n" + out + "--- err\n" + err; }
  }

  Result run(Path backups, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Environment env = new Environment(
        VisibleText.guard(new PrintStream(out, true, StandardCharsets.UTF_8), false, StandardCharsets.UTF_8),
        VisibleText.guard(new PrintStream(err, true, StandardCharsets.UTF_8), true, StandardCharsets.UTF_8),
        () -> new DeviceSource() {
          @Override public List<AttachedDevice> devices() { return List.of(attached()); }

          @Override public void close() {}
        }, false, backups, ZoneOffset.UTC, new Cancellation());
    int status = MtpBridge.run(args, env);
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private AttachedDevice attached() {
    FakeMtpDevice link = this;
    return new AttachedDevice() {
      @Override public String busAddress() { return "001-009"; }

      @Override public int vendorId() { return 0x1209; }

      @Override public int productId() { return 0x000c; }

      @Override public String manufacturer() { return "Hostile"; }

      @Override public String product() { return "Device"; }

      @Override public String serial() { return "HOSTILE-1"; }

      @Override public InitiatorLink open() {
        link.in.clear();
        return link;
      }
    };
  }

  // ---- the responder -------------------------------------------------------------------------

  @Override public void bulkOut(ByteBuffer src, boolean zeroPacket, long timeoutMillis) {
    ByteBuffer b = src.slice().order(ByteOrder.LITTLE_ENDIAN);
    src.position(src.limit());
    if (pending != null) { // the host's data phase
      if (pendingReceived == 0) pendingLength = b.getInt(0) & 0xFFFFFFFFL;
      pendingReceived += b.remaining();
      if (pending[0] != OperationCode.SEND_OBJECT.value()) {
        byte[] chunk = new byte[b.remaining()];
        b.duplicate().get(chunk);
        pendingData.write(chunk, 0, chunk.length);
      }
      if (pendingReceived >= pendingLength) {
        int[] c = pending;
        pending = null;
        received(c[0], c[1], java.util.Arrays.copyOfRange(c, 2, c.length));
      }
      return;
    }
    if (b.remaining() < 12 || b.getShort(4) != 1) return; // only commands are expected
    int length = b.getInt(0);
    int code = b.getShort(6) & 0xFFFF;
    int tid = b.getInt(8);
    int[] p = new int[(length - 12) / 4];
    for (int i = 0; i < p.length; i++) p[i] = b.getInt(12 + 4 * i);
    operations.add(code);
    if (code == OperationCode.SEND_OBJECT_INFO.value() || code == OperationCode.SEND_OBJECT.value() || code == 0x9804) {
      pending = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(code, tid), java.util.Arrays.stream(p)).toArray();
      pendingData.reset();
      pendingReceived = 0;
      return;
    }
    answer(code, tid, p);
  }

  /** A command with its data phase from the host complete. */
  private void received(int code, int tid, int[] p) {
    byte[] data = pendingData.toByteArray();
    ByteBuf payload = Unpooled.wrappedBuffer(data, 12, Math.max(0, data.length - 12));
    try {
      if (code == OperationCode.SEND_OBJECT_INFO.value()) {
        ObjectInfo info = ObjectInfo.decode(payload);
        Obj o = file(p[1] == 0xFFFFFFFF ? 0 : p[1], info.filename(), info.objectCompressedSize());
        o.folder = ObjectFormat.isAssociation(info.objectFormat());
        lastSent = o.handle;
        respond(code, tid, ResponseCode.OK.value(), STORAGE, p[1], o.handle);
      } else if (code == OperationCode.SEND_OBJECT.value()) {
        Obj o = objects.get(lastSent);
        o.actual = o.announced = pendingReceived - 12;
        respond(code, tid, ResponseCode.OK.value());
      } else { // SetObjectPropValue
        Obj o = objects.get(p[0]);
        if (!rename || o == null) {
          respond(code, tid, ResponseCode.OPERATION_NOT_SUPPORTED.value());
        } else {
          if (p[1] == 0xDC07) o.name = io.mtpbridge.core.dataset.PtpString.decode(payload);
          respond(code, tid, ResponseCode.OK.value());
        }
      }
    } catch (java.io.IOException e) {
      respond(code, tid, ResponseCode.INVALID_DATASET.value());
    }
  }

  private void answer(int code, int tid, int[] p) {
    if (code == OperationCode.OPEN_SESSION.value() || code == OperationCode.CLOSE_SESSION.value()) {
      respond(code, tid, ResponseCode.OK.value());
    } else if (code == OperationCode.GET_DEVICE_INFO.value()) {
      int[] ops = {0x1001, 0x1002, 0x1003, 0x1004, 0x1005, 0x1007, 0x1008, 0x1009, 0x100B, 0x100C, 0x100D, 0x9803, 0x9804};
      if (backup) ops = java.util.stream.IntStream.concat(java.util.Arrays.stream(ops), java.util.stream.IntStream.rangeClosed(0x9A01, 0x9A07)).toArray();
      DeviceInfo info = new DeviceInfo(100, 6, 100, "microsoft.com: 1.0;" + (backup ? " mtpbridge.io/backup: 1.0;" : ""), 0,
          ops, new int[0], new int[0],
          new int[0], new int[0], "Hostile", "Device", "1.0", "HOSTILE-1");
      ByteBuf buf = Unpooled.buffer();
      info.encode(buf);
      data(code, tid, buf);
    } else if (code == OperationCode.GET_STORAGE_IDS.value()) {
      data(code, tid, Unpooled.buffer().writeIntLE(1).writeIntLE(STORAGE));
    } else if (code == OperationCode.GET_STORAGE_INFO.value()) {
      ByteBuf buf = Unpooled.buffer();
      new StorageInfo(3, 2, 0, 1L << 40, 1L << 39, StorageInfo.FREE_OBJECTS_NOT_APPLICABLE, "Internal", "").encode(buf);
      data(code, tid, buf);
    } else if (code == OperationCode.GET_OBJECT_HANDLES.value()) {
      int parent = p.length > 2 && p[2] != 0xFFFFFFFF ? p[2] : 0;
      int[] handles = listings.containsKey(parent) ? listings.get(parent)
          : objects.values().stream().filter(o -> o.parent == parent).mapToInt(o -> o.handle).toArray();
      ByteBuf buf = Unpooled.buffer().writeIntLE(handles.length);
      for (int h : handles) buf.writeIntLE(h);
      data(code, tid, buf);
    } else if (code == OperationCode.GET_OBJECT_INFO.value()) {
      Obj o = objects.get(p[0]);
      if (o == null) {
        respond(code, tid, ResponseCode.INVALID_OBJECT_HANDLE.value());
        return;
      }
      ObjectInfo info = ObjectInfo.builder().storageId(STORAGE)
          .objectFormat(o.folder ? ObjectFormat.ASSOCIATION.value() : ObjectFormat.UNDEFINED.value())
          .size(o.folder ? 0 : Math.min(o.announced, 0xFFFFFFFFL)).parentObject(o.parent).filename(o.name)
          .associationType(o.folder ? 1 : 0).dateCreated(o.date).dateModified(o.date).build();
      ByteBuf buf = Unpooled.buffer();
      info.encode(buf);
      data(code, tid, buf);
    } else if (code == 0x9803) { // GetObjectPropValue
      Obj o = objects.get(p[0]);
      if (!objectSizeProperty || o == null || p[1] != 0xDC04) {
        respond(code, tid, ResponseCode.OPERATION_NOT_SUPPORTED.value());
        return;
      }
      data(code, tid, Unpooled.buffer().writeLongLE(o.announced));
    } else if (code == OperationCode.DELETE_OBJECT.value()) {
      respond(code, tid, objects.remove(p[0]) != null ? ResponseCode.OK.value() : ResponseCode.INVALID_OBJECT_HANDLE.value());
    } else if (code == OperationCode.GET_OBJECT.value()) {
      Obj o = objects.get(p[0]);
      if (o == null || o.folder) {
        respond(code, tid, ResponseCode.INVALID_OBJECT_HANDLE.value());
        return;
      }
      ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      long length = o.unknownLength || o.actual + 12 >= 0xFFFFFFFFL ? 0xFFFFFFFFL : o.actual + 12;
      head.putInt((int) length).putShort((short) 2).putShort((short) code).putInt(tid);
      in.add(new Transfer(head.array(), o.actual));
      respond(code, tid, ResponseCode.OK.value());
    } else {
      respond(code, tid, ResponseCode.OPERATION_NOT_SUPPORTED.value());
    }
  }

  private void data(int code, int tid, ByteBuf payload) {
    byte[] b = new byte[12 + payload.readableBytes()];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).putShort((short) 2).putShort((short) code).putInt(tid);
    payload.readBytes(b, 12, payload.readableBytes());
    in.add(new Transfer(b, 0));
    respond(code, tid, ResponseCode.OK.value());
  }

  private void respond(int code, int tid, int response, int... params) {
    byte[] b = new byte[12 + 4 * params.length];
    ByteBuffer r = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).putShort((short) 3).putShort((short) response).putInt(tid);
    for (int v : params) r.putInt(v);
    in.add(new Transfer(b, 0));
  }

  /** One bulk IN transfer of the device: a head, then {@code body} generated bytes. */
  private static final class Transfer {
    final byte[] head;
    final long total;
    long pos;

    Transfer(byte[] head, long body) {
      this.head = head;
      this.total = head.length + body;
    }
  }

  @Override public int bulkMaxPacket() { return MP; }

  @Override public int bulkIn(ByteBuffer dst, long timeoutMillis) throws UsbTransferException {
    Transfer t = in.peek();
    if (t == null) throw new UsbTransferException(TransferStatus.TIMEOUT, 0, "the device has nothing to send");
    long left = t.total - t.pos;
    if (left == 0) { // the ZLP after a packet-multiple transfer
      in.poll();
      return 0;
    }
    long n = Math.min(left, dst.remaining());
    if (n < left) n -= n % MP;
    if (n == 0) throw new UsbTransferException(TransferStatus.OVERFLOW, 0, "buffer smaller than a packet");
    for (long i = 0; i < n; i++, t.pos++) {
      if (t.pos < t.head.length) dst.put(t.head[(int) t.pos]);
      else {
        dst.put((byte) (t.pos * 31));
        sentObjectBytes++;
      }
    }
    if (t.pos == t.total && (t.total % MP != 0 || dst.hasRemaining())) in.poll();
    return (int) n;
  }

  @Override public int interruptIn(ByteBuffer dst, long timeoutMillis) throws UsbTransferException {
    throw new UsbTransferException(TransferStatus.TIMEOUT, 0, "no events");
  }

  @Override public int control(int requestType, int request, int value, int index, ByteBuffer data, long timeoutMillis) {
    if (request == 0x64) { // Cancel: the device drops what it had queued
      in.clear();
      return data.remaining();
    }
    if (request == 0x67) { // Get Device Status: OK
      data.order(ByteOrder.LITTLE_ENDIAN).putShort((short) 4).putShort((short) ResponseCode.OK.value());
      return 4;
    }
    return 0;
  }

  @Override public void close() {}

  static List<String> lines(String s) { return new ArrayList<>(s.lines().toList()); }
}
