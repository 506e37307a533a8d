package io.mtpbridge.host.backup;

import io.mtpbridge.backup.protocol.BackupDatasets;
import io.mtpbridge.backup.protocol.BackupExtension;
import io.mtpbridge.backup.protocol.BackupExtension.Increment;
import io.mtpbridge.backup.protocol.BackupExtension.Mode;
import io.mtpbridge.backup.protocol.BackupExtension.Outcome;
import io.mtpbridge.backup.protocol.BackupExtension.Scope;
import io.mtpbridge.backup.protocol.BackupOperationCode;
import io.mtpbridge.backup.protocol.OwnerInfo;
import io.mtpbridge.backup.protocol.SessionStatus;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.dataset.MalformedDatasetException;
import io.mtpbridge.core.transport.Response;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.host.MtpProtocolViolationException;
import io.mtpbridge.host.Transaction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The backup extension ({@value BackupExtension#VENDOR_EXTENSION}) as typed calls on an
 * {@link MtpInitiator} with an open MTP session. Datasets are read and written by
 * backup-protocol's {@link BackupDatasets}, the same definition the device uses. Refusals are
 * {@link BackupRefusedException}s carrying the extension's advice.
 *
 * <p>Transfers of the archive operations wait up to {@link #ARCHIVE_TIMEOUT} between two packets:
 * the device waits up to 30 s for its owners to get ready and gives each owner callback a 30 s
 * watchdog before a byte of that owner flows, so a shorter host timeout would cut healthy
 * backups.
 */
public final class BackupClient {
  /** Longest wait for the next packet of ReadBackupArchive / WriteRestoreArchive / SupplySnapshots / close. */
  public static final Duration ARCHIVE_TIMEOUT = Duration.ofSeconds(150);

  private final MtpInitiator mtp;
  private final long archiveTimeoutMillis;

  public BackupClient(MtpInitiator mtp) {
    this(mtp, ARCHIVE_TIMEOUT);
  }

  public BackupClient(MtpInitiator mtp, Duration archiveTimeout) {
    this.mtp = mtp;
    this.archiveTimeoutMillis = archiveTimeout.toMillis();
  }

  /** Whether a device serves the extension: it names it in DeviceInfo and lists its operations. */
  public static boolean supportedBy(DeviceInfo info) {
    String ext = info.vendorExtensionDesc() == null ? "" : info.vendorExtensionDesc();
    if (!ext.contains(BackupExtension.NAME)) return false;
    int[] ops = info.operationsSupported();
    for (BackupOperationCode op : BackupOperationCode.values()) {
      if (Arrays.stream(ops).noneMatch(o -> o == op.value())) return false;
    }
    return true;
  }

  /** 0x9A01: the registered data owners. */
  public List<OwnerInfo> owners() throws IOException {
    byte[] data = receive(BackupOperationCode.GET_BACKUP_OWNERS, mtp.timeoutMillis());
    try {
      return BackupDatasets.decodeOwners(Unpooled.wrappedBuffer(data));
    } catch (MalformedDatasetException e) {
      throw new MtpProtocolViolationException("GetBackupOwners: " + e.getMessage());
    }
  }

  /**
   * 0x9A02: opens a backup or restore session for {@code owners} (empty: every owner) and
   * {@code volumes} (empty: all). Returns the backup session id.
   */
  public int open(Mode mode, Increment increment, List<String> owners, List<String> volumes) throws IOException {
    Scope scope = owners.isEmpty() ? Scope.FULL : Scope.PARTIAL;
    ByteBuf request = Unpooled.buffer();
    BackupDatasets.encodeRequest(new BackupDatasets.SessionRequest(owners, volumes), request);
    byte[] bytes = new byte[request.readableBytes()];
    request.readBytes(bytes);
    Transaction t = mtp.beginWithTimeout(archiveTimeoutMillis, BackupOperationCode.OPEN_BACKUP_SESSION.value(),
        mode.code(), scope.code(), increment.code());
    t.sendData(Channels.newChannel(new ByteArrayInputStream(bytes)), bytes.length);
    return ok(t.response(), BackupOperationCode.OPEN_BACKUP_SESSION).param(0);
  }

  /**
   * 0x9A03: the previous set's snapshots, as a tar holding its {@code *.snapshot} entries and
   * manifest.json ({@code length} -1 when unknown).
   */
  public void supplySnapshots(int session, ReadableByteChannel tar, long length) throws IOException {
    Transaction t = mtp.beginWithTimeout(archiveTimeoutMillis, BackupOperationCode.SUPPLY_SNAPSHOTS.value(), session);
    t.sendData(tar, length);
    ok(t.response(), BackupOperationCode.SUPPLY_SNAPSHOTS);
  }

  /** 0x9A04: where the session stands, owner by owner. */
  public SessionStatus status(int session) throws IOException {
    byte[] data = receive(BackupOperationCode.GET_SESSION_STATUS, mtp.timeoutMillis(), session);
    try {
      return BackupDatasets.decodeStatus(Unpooled.wrappedBuffer(data));
    } catch (MalformedDatasetException e) {
      throw new MtpProtocolViolationException("GetSessionStatus: " + e.getMessage());
    }
  }

  /**
   * Polls GetSessionStatus every {@code interval} until {@code done} holds or {@code max} passed,
   * handing every status to {@code each} (progress); returns the last status.
   */
  public SessionStatus poll(int session, Duration interval, Duration max, Predicate<SessionStatus> done,
                            Consumer<SessionStatus> each) throws IOException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      SessionStatus s = status(session);
      each.accept(s);
      if (done.test(s) || System.nanoTime() >= deadline) return s;
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while polling the backup session");
      }
    }
  }

  /**
   * Starts 0x9A05; the caller reads the archive with {@link Transaction#receiveData} (it may
   * {@link Transaction#requestCancel} from its sink, which aborts the session on the device) and
   * then calls {@link #finish}.
   */
  public Transaction beginReadArchive(int session) throws IOException {
    return mtp.beginWithTimeout(archiveTimeoutMillis, BackupOperationCode.READ_BACKUP_ARCHIVE.value(), session);
  }

  /** 0x9A05 into {@code sink}; returns the archive's byte count. */
  public long readArchive(int session, WritableByteChannel sink) throws IOException {
    Transaction t = beginReadArchive(session);
    long n = t.receiveData(sink);
    finish(t);
    return Math.max(n, 0);
  }

  /** What one WriteRestoreArchive did: owners restored, owners failed or skipped. */
  public record RestoreCounts(int restored, int failed) {}

  /** Starts 0x9A06; send the archive with {@link Transaction#sendData}, then {@link #finishRestore}. */
  public Transaction beginWriteRestoreArchive(int session) throws IOException {
    return mtp.beginWithTimeout(archiveTimeoutMillis, BackupOperationCode.WRITE_RESTORE_ARCHIVE.value(), session);
  }

  /** 0x9A06: one archive of the restore chain ({@code length} -1 when unknown). */
  public RestoreCounts writeRestoreArchive(int session, ReadableByteChannel archive, long length) throws IOException {
    Transaction t = beginWriteRestoreArchive(session);
    t.sendData(archive, length);
    return finishRestore(t);
  }

  public RestoreCounts finishRestore(Transaction t) throws IOException {
    Response r = ok(t.response(), BackupOperationCode.WRITE_RESTORE_ARCHIVE);
    return new RestoreCounts(r.param(0), r.param(1));
  }

  /** Ends a transaction begun here; a refusal becomes a {@link BackupRefusedException}. */
  public Response finish(Transaction t) throws IOException {
    BackupOperationCode op = BackupOperationCode.of(t.operation());
    return ok(t.response(), op);
  }

  /** 0x9A07; returns how many of the session's owners ended failed. */
  public int close(int session, Outcome outcome) throws IOException {
    Transaction t = mtp.beginWithTimeout(archiveTimeoutMillis, BackupOperationCode.CLOSE_BACKUP_SESSION.value(), session, outcome.code());
    return ok(t.response(), BackupOperationCode.CLOSE_BACKUP_SESSION).param(0);
  }

  private byte[] receive(BackupOperationCode op, long timeout, int... params) throws IOException {
    Transaction t = mtp.beginWithTimeout(timeout, op.value(), params);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    WritableByteChannel sink = new BoundedChannel(bytes, MtpInitiator.MAX_DATASET_BYTES, op);
    t.receiveData(sink);
    ok(t.response(), op);
    return bytes.toByteArray();
  }

  private static Response ok(Response r, BackupOperationCode op) throws BackupRefusedException {
    if (r.code() != ResponseCode.OK.value()) throw new BackupRefusedException(op.value(), r);
    return r;
  }

  /** Keeps a dataset in memory up to a limit, so a hostile device cannot fill the heap. */
  private static final class BoundedChannel implements WritableByteChannel {
    private final java.io.ByteArrayOutputStream out;
    private final int limit;
    private final BackupOperationCode op;

    BoundedChannel(java.io.ByteArrayOutputStream out, int limit, BackupOperationCode op) {
      this.out = out;
      this.limit = limit;
      this.op = op;
    }

    @Override public int write(java.nio.ByteBuffer src) throws IOException {
      int n = src.remaining();
      if (out.size() + (long) n > limit) throw new MtpProtocolViolationException(op.displayName() + ": dataset larger than " + limit + " bytes");
      byte[] b = new byte[n];
      src.get(b);
      out.write(b);
      return n;
    }

    @Override public boolean isOpen() { return true; }

    @Override public void close() {}
  }
}
