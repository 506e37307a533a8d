package io.mtpbridge.host;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.container.ContainerCodec;
import io.mtpbridge.core.container.MalformedContainerException;
import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.Event;
import io.mtpbridge.core.transport.Response;
import io.mtpbridge.host.link.InitiatorLink;
import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PtpString;
import io.mtpbridge.core.dataset.StorageInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * An MTP initiator (the host side of the protocol) over any {@link InitiatorLink}: sessions,
 * transaction ids, every operation the core responder serves, streamed data phases in both
 * directions, cancel, and events. Datasets come back as their raw little-endian payload (decode
 * them with mtp-core's dataset classes); objects stream through channels.
 *
 * <p>One thread drives transactions; {@link #pollEvent} may run on another.
 */
public final class MtpInitiator {
  /** Bulk transfer size: large enough to keep the pipe full, small enough for -Xmx64m hosts. */
  public static final int DEFAULT_TRANSFER_BUFFER = 256 * 1024;
  /** Largest dataset read into memory (object data always streams). */
  public static final int MAX_DATASET_BYTES = 64 * 1024 * 1024;
  public static final int ROOT_PARENT = 0xFFFFFFFF;
  public static final int ALL = 0xFFFFFFFF;

  private final InitiatorLink link;
  private final long timeoutMillis;
  private final int transferBufferSize;
  private int nextTransactionId;
  private int sessionId;
  /** Recently cancelled transaction ids, whose late responses are dropped. */
  private final ArrayDeque<Integer> cancelled = new ArrayDeque<>();

  public MtpInitiator(InitiatorLink link) {
    this(link, 10_000, DEFAULT_TRANSFER_BUFFER);
  }

  public MtpInitiator(InitiatorLink link, long timeoutMillis, int transferBufferSize) {
    int mp = link.bulkMaxPacket();
    if (transferBufferSize < mp || transferBufferSize % mp != 0) {
      throw new IllegalArgumentException("transfer buffer " + transferBufferSize + " must be a multiple of the packet size " + mp);
    }
    this.link = link;
    this.timeoutMillis = timeoutMillis;
    this.transferBufferSize = transferBufferSize;
  }

  public InitiatorLink link() { return link; }

  int transferBufferSize() { return transferBufferSize; }

  public boolean sessionOpen() { return sessionId != 0; }

  public int sessionId() { return sessionId; }

  // ---- transactions ----------------------------------------------------------------------

  /** Sends the command of a new transaction; the caller drives its data phase and response. */
  public Transaction begin(int operation, int... params) throws IOException {
    return beginWithTimeout(timeoutMillis, operation, params);
  }

  /**
   * {@link #begin} with another timeout for each transfer of this transaction: for operations
   * whose device side may wait long between two packets (a backup archive waits for its owners).
   */
  public Transaction beginWithTimeout(long transferTimeoutMillis, int operation, int... params) throws IOException {
    int tid = operation == OperationCode.OPEN_SESSION.value() || sessionId == 0 ? 0 : nextTransactionId();
    return new Transaction(this, link, new Command(operation, tid, params), transferTimeoutMillis);
  }

  /** The timeout of each transfer, unless a transaction was begun with its own. */
  public long timeoutMillis() { return timeoutMillis; }

  /** A transaction without data phase; throws {@link MtpResponseException} unless OK. */
  public Response call(int operation, int... params) throws IOException {
    return begin(operation, params).expectOk();
  }

  /** A transaction whose data phase comes from the device, streamed into {@code sink}. */
  public Response receive(WritableByteChannel sink, int operation, int... params) throws IOException {
    Transaction t = begin(operation, params);
    t.receiveData(sink);
    return t.expectOk();
  }

  /** A transaction whose data phase ({@code length} bytes, -1 if unknown) goes to the device. */
  public Response send(ReadableByteChannel source, long length, int operation, int... params) throws IOException {
    Transaction t = begin(operation, params);
    t.sendData(source, length);
    return t.expectOk();
  }

  /** A data-in transaction whose payload is a dataset, read into memory (bounded). */
  public byte[] receiveDataset(int operation, int... params) throws IOException {
    BoundedSink sink = new BoundedSink();
    receive(sink, operation, params);
    return sink.bytes();
  }

  public Response sendDataset(byte[] dataset, int operation, int... params) throws IOException {
    return send(Channels.newChannel(new java.io.ByteArrayInputStream(dataset)), dataset.length, operation, params);
  }

  synchronized void rememberCancelled(int tid) {
    if (tid == 0) return; // 0 is reused by every OpenSession
    if (cancelled.size() == 16) cancelled.removeFirst();
    cancelled.addLast(tid);
  }

  synchronized boolean wasCancelled(int tid) { return cancelled.contains(tid); }

  private int nextTransactionId() {
    nextTransactionId++;
    if (nextTransactionId == 0 || nextTransactionId == 0xFFFFFFFF) nextTransactionId = 1;
    return nextTransactionId;
  }

  // ---- sessions ----------------------------------------------------------------------------

  public void openSession(int id) throws IOException {
    if (id == 0) throw new IllegalArgumentException("session id 0 is reserved");
    Transaction t = new Transaction(this, link, new Command(OperationCode.OPEN_SESSION.value(), 0, id), timeoutMillis);
    t.expectOk();
    sessionId = id;
    nextTransactionId = 0;
    synchronized (this) {
      cancelled.clear(); // transaction ids start over in a new session
    }
  }

  public void closeSession() throws IOException {
    try {
      call(OperationCode.CLOSE_SESSION.value());
    } finally {
      sessionId = 0;
    }
  }

  /** Forgets the session without telling the device (after a reset or a disconnect). */
  public void forgetSession() { sessionId = 0; }

  // ---- class requests ---------------------------------------------------------------------

  /** Class request Get Device Status (0x67): the device's status code (OK, DeviceBusy, ...). */
  public int deviceStatus() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    int n = link.control(0xA1, 0x67, 0, 0, b, timeoutMillis);
    if (n < 4) throw new MtpProtocolViolationException("Get Device Status returned " + n + " bytes, at least 4 expected");
    return b.getShort(2) & 0xFFFF;
  }

  /** Class request Device Reset (0x66): the device closes the session. */
  public void resetDevice() throws IOException {
    link.control(0x21, 0x66, 0, 0, ByteBuffer.allocate(0), timeoutMillis);
    sessionId = 0;
  }

  // ---- events ------------------------------------------------------------------------------

  /** Waits up to {@code timeoutMillis} for an event on the interrupt pipe. */
  public Optional<Event> pollEvent(long timeoutMillis) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(64);
    int n;
    try {
      n = link.interruptIn(b, timeoutMillis);
    } catch (UsbTransferException e) {
      if (e.status() == TransferStatus.TIMEOUT) return Optional.empty();
      throw e;
    }
    try {
      return Optional.of(ContainerCodec.decodeEvent(Unpooled.wrappedBuffer(b.array(), 0, n)));
    } catch (MalformedContainerException e) {
      throw new MtpProtocolViolationException("bad event container: " + e.getMessage());
    }
  }

  // ---- operations --------------------------------------------------------------------------

  public byte[] getDeviceInfo() throws IOException { return receiveDataset(OperationCode.GET_DEVICE_INFO.value()); }

  public int[] getStorageIds() throws IOException { return uint32Array(receiveDataset(OperationCode.GET_STORAGE_IDS.value())); }

  public byte[] getStorageInfo(int storageId) throws IOException { return receiveDataset(OperationCode.GET_STORAGE_INFO.value(), storageId); }

  public int getNumObjects(int storageId, int format, int parent) throws IOException {
    return call(OperationCode.GET_NUM_OBJECTS.value(), storageId, format, parent).param(0);
  }

  public int[] getObjectHandles(int storageId, int format, int parent) throws IOException {
    return uint32Array(receiveDataset(OperationCode.GET_OBJECT_HANDLES.value(), storageId, format, parent));
  }

  public byte[] getObjectInfo(int handle) throws IOException { return receiveDataset(OperationCode.GET_OBJECT_INFO.value(), handle); }

  /** Streams the object into {@code sink}; returns its byte count. */
  public long getObject(int handle, WritableByteChannel sink) throws IOException {
    Transaction t = begin(OperationCode.GET_OBJECT.value(), handle);
    long n = t.receiveData(sink);
    t.expectOk();
    return n;
  }

  /** GetPartialObject: up to {@code maxBytes} from {@code offset}; returns the byte count the device reports. */
  public long getPartialObject(int handle, int offset, int maxBytes, WritableByteChannel sink) throws IOException {
    return Integer.toUnsignedLong(receive(sink, OperationCode.GET_PARTIAL_OBJECT.value(), handle, offset, maxBytes).param(0));
  }

  /** Android GetPartialObject64 (0x95C1): a 64-bit offset. */
  public long getPartialObject64(int handle, long offset, int maxBytes, WritableByteChannel sink) throws IOException {
    return Integer.toUnsignedLong(receive(sink, OperationCode.GET_PARTIAL_OBJECT64.value(), handle, (int) offset, (int) (offset >>> 32), maxBytes).param(0));
  }

  public void deleteObject(int handle) throws IOException { call(OperationCode.DELETE_OBJECT.value(), handle, 0); }

  /** SendObjectInfo with an encoded ObjectInfo dataset; returns {storage, parent, handle} the device chose. */
  public int[] sendObjectInfo(int storageId, int parent, byte[] objectInfo) throws IOException {
    Response r = sendDataset(objectInfo, OperationCode.SEND_OBJECT_INFO.value(), storageId, parent);
    return new int[] {r.param(0), r.param(1), r.param(2)};
  }

  /** SendObject: the data of the object announced by the preceding SendObjectInfo/SendObjectPropList. */
  public void sendObject(ReadableByteChannel source, long length) throws IOException {
    send(source, length, OperationCode.SEND_OBJECT.value());
  }

  /** SendObjectPropList; returns {storage, parent, handle}. */
  public int[] sendObjectPropList(int storageId, int parent, int format, long size, byte[] propList) throws IOException {
    Response r = sendDataset(propList, OperationCode.SEND_OBJECT_PROP_LIST.value(), storageId, parent, format, (int) (size >>> 32), (int) size);
    return new int[] {r.param(0), r.param(1), r.param(2)};
  }

  public void moveObject(int handle, int storageId, int parent) throws IOException {
    call(OperationCode.MOVE_OBJECT.value(), handle, storageId, parent);
  }

  /** CopyObject; returns the new object's handle. */
  public int copyObject(int handle, int storageId, int parent) throws IOException {
    return call(OperationCode.COPY_OBJECT.value(), handle, storageId, parent).param(0);
  }

  public byte[] getDevicePropDesc(int property) throws IOException { return receiveDataset(OperationCode.GET_DEVICE_PROP_DESC.value(), property); }

  public byte[] getDevicePropValue(int property) throws IOException { return receiveDataset(OperationCode.GET_DEVICE_PROP_VALUE.value(), property); }

  public void setDevicePropValue(int property, byte[] value) throws IOException {
    sendDataset(value, OperationCode.SET_DEVICE_PROP_VALUE.value(), property);
  }

  public void resetDevicePropValue(int property) throws IOException { call(OperationCode.RESET_DEVICE_PROP_VALUE.value(), property); }

  public int[] getObjectPropsSupported(int format) throws IOException {
    return uint16Array(receiveDataset(OperationCode.GET_OBJECT_PROPS_SUPPORTED.value(), format));
  }

  public byte[] getObjectPropDesc(int property, int format) throws IOException {
    return receiveDataset(OperationCode.GET_OBJECT_PROP_DESC.value(), property, format);
  }

  public byte[] getObjectPropValue(int handle, int property) throws IOException {
    return receiveDataset(OperationCode.GET_OBJECT_PROP_VALUE.value(), handle, property);
  }

  public void setObjectPropValue(int handle, int property, byte[] value) throws IOException {
    sendDataset(value, OperationCode.SET_OBJECT_PROP_VALUE.value(), handle, property);
  }

  public byte[] getObjectPropList(int handle, int format, int property, int group, int depth) throws IOException {
    return receiveDataset(OperationCode.GET_OBJECT_PROP_LIST.value(), handle, format, property, group, depth);
  }

  /** SetObjectPropList; returns the response's failed-index parameter (0 when all were set). */
  public int setObjectPropList(byte[] propList) throws IOException {
    return sendDataset(propList, OperationCode.SET_OBJECT_PROP_LIST.value()).param(0);
  }

  public int[] getObjectReferences(int handle) throws IOException {
    return uint32Array(receiveDataset(OperationCode.GET_OBJECT_REFERENCES.value(), handle));
  }

  public void setObjectReferences(int handle, int[] references) throws IOException {
    sendDataset(uint32ArrayDataset(references), OperationCode.SET_OBJECT_REFERENCES.value(), handle);
  }

  /** Android SendPartialObject (0x95C2): writes {@code length} bytes at {@code offset} of an object being edited. */
  public void sendPartialObject(int handle, long offset, ReadableByteChannel source, int length) throws IOException {
    send(source, length, OperationCode.SEND_PARTIAL_OBJECT.value(), handle, (int) offset, (int) (offset >>> 32), length);
  }

  public void truncateObject(int handle, long size) throws IOException {
    call(OperationCode.TRUNCATE_OBJECT.value(), handle, (int) size, (int) (size >>> 32));
  }

  public void beginEditObject(int handle) throws IOException { call(OperationCode.BEGIN_EDIT_OBJECT.value(), handle); }

  public void endEditObject(int handle) throws IOException { call(OperationCode.END_EDIT_OBJECT.value(), handle); }

  // ---- decoded datasets (mtp-core's dataset codecs) ----------------------------------------

  public DeviceInfo deviceInfo() throws IOException { return DeviceInfo.decode(Unpooled.wrappedBuffer(getDeviceInfo())); }

  public StorageInfo storageInfo(int storageId) throws IOException {
    return StorageInfo.decode(Unpooled.wrappedBuffer(getStorageInfo(storageId)));
  }

  public ObjectInfo objectInfo(int handle) throws IOException { return ObjectInfo.decode(Unpooled.wrappedBuffer(getObjectInfo(handle))); }

  /** SendObjectInfo with {@code info} encoded; returns {storage, parent, handle}. */
  public int[] sendObjectInfo(int storageId, int parent, ObjectInfo info) throws IOException {
    ByteBuf b = Unpooled.buffer(info.encodedLength());
    info.encode(b);
    return sendObjectInfo(storageId, parent, ByteBufUtil.getBytes(b));
  }

  public ObjectPropList objectPropList(int handle, int format, int property, int group, int depth) throws IOException {
    return ObjectPropList.decode(Unpooled.wrappedBuffer(getObjectPropList(handle, format, property, group, depth)));
  }

  /** Encodes a PTP string dataset (a property value of type STR). */
  public static byte[] ptpString(String s) {
    ByteBuf b = Unpooled.buffer(PtpString.encodedLength(s));
    PtpString.encode(s, b);
    return ByteBufUtil.getBytes(b);
  }

  public static String decodePtpString(byte[] data) throws IOException { return PtpString.decode(Unpooled.wrappedBuffer(data)); }

  // ---- array datasets ----------------------------------------------------------------------

  /** Decodes a PTP UINT32 array (count, then elements), checking the count against the bytes. */
  public static int[] uint32Array(byte[] data) throws MtpProtocolViolationException {
    return array(data, 4);
  }

  public static int[] uint16Array(byte[] data) throws MtpProtocolViolationException {
    return array(data, 2);
  }

  public static byte[] uint32ArrayDataset(int[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN).putInt(values.length);
    for (int v : values) b.putInt(v);
    return b.array();
  }

  private static int[] array(byte[] data, int width) throws MtpProtocolViolationException {
    if (data.length < 4) throw new MtpProtocolViolationException("array dataset of " + data.length + " bytes has no count");
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    long count = Integer.toUnsignedLong(b.getInt());
    if (count * width != data.length - 4) {
      throw new MtpProtocolViolationException("array dataset declares " + count + " elements but carries " + (data.length - 4) + " bytes");
    }
    int[] out = new int[(int) count];
    for (int i = 0; i < out.length; i++) out[i] = width == 4 ? b.getInt() : b.getShort() & 0xFFFF;
    return out;
  }

  /** Collects a dataset in memory, refusing more than {@link #MAX_DATASET_BYTES}. */
  private static final class BoundedSink extends ByteArrayOutputStream implements WritableByteChannel {
    @Override public int write(ByteBuffer src) throws IOException {
      int n = src.remaining();
      if (size() + (long) n > MAX_DATASET_BYTES) throw new IOException("dataset larger than " + MAX_DATASET_BYTES + " bytes");
      byte[] tmp = new byte[n];
      src.get(tmp);
      write(tmp, 0, n);
      return n;
    }

    byte[] bytes() { return toByteArray(); }

    @Override public boolean isOpen() { return true; }
  }

  static boolean isOk(Response r) { return r.code() == ResponseCode.OK.value(); }
}
