package io.mtpbridge.backup.protocol;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.MalformedDatasetException;
import io.mtpbridge.core.dataset.PtpString;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte layouts of the backup extension's datasets (little-endian, PTP strings), the one
 * definition both the device (backup-bridge) and the host (host-tools) use; backup-protocol/README.md
 * documents them for other implementers.
 *
 * <pre>
 * owner list (0x9A01 IN)      u32 n, then n × { str id, u16 kind (1 passive, 2 active), u16 status,
 *                             u32 m, m × str volume, u32 flags (1 incremental, 2 requires reboot),
 *                             u64 expected size, str last error }
 * session request (0x9A02 OUT) u32 n, n × str owner id (0: full), u32 m, m × str volume (0: all; nothing after)
 * session status (0x9A04 IN)   u32 session id, u16 state, str error, u32 n, then n × { str id,
 *                             u16 status, str error, u64 bytes done, u64 bytes expected }
 * </pre>
 *
 * Strings longer than a PTP string holds are cut on encoding (they are labels for people; ids and
 * volume names are short by {@link Names}). Decoders check every count against the bytes that
 * arrived before allocating, and fail with {@link MalformedDatasetException} on anything else.
 */
public final class BackupDatasets {
  public static final int FLAG_INCREMENTAL = 1;
  public static final int FLAG_REQUIRES_REBOOT = 2;
  /** The largest session request a device accepts (owner ids and volumes). */
  public static final int MAX_REQUEST = 64 * 1024;
  /** At most this many owner ids or volumes in a session request. */
  public static final int MAX_NAMES = 1024;
  private static final int KIND_PASSIVE = 1, KIND_ACTIVE = 2;

  private BackupDatasets() {}

  /**
   * A label for people made fit for a PTP string: null becomes "", NUL and unpaired surrogates
   * (an owner's error text may hold anything) become U+FFFD, and text beyond what a PTP string
   * holds is cut with "...".
   */
  public static String fit(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(Math.min(s.length(), PtpString.MAX_CHARS));
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else {
        b.append(c == 0 || Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    if (b.length() <= PtpString.MAX_CHARS) return b.toString();
    int end = PtpString.MAX_CHARS - 3;
    if (Character.isHighSurrogate(b.charAt(end - 1))) end--;
    return b.substring(0, end) + "...";
  }

  public static void encodeOwners(List<OwnerInfo> owners, ByteBuf out) {
    out.writeIntLE(owners.size());
    for (OwnerInfo o : owners) {
      PtpString.encode(fit(o.id()), out);
      out.writeShortLE(o.active() ? KIND_ACTIVE : KIND_PASSIVE);
      out.writeShortLE(o.status().code());
      out.writeIntLE(o.volumes().size());
      for (String v : o.volumes()) PtpString.encode(fit(v), out);
      out.writeIntLE((o.supportsIncremental() ? FLAG_INCREMENTAL : 0) | (o.requiresReboot() ? FLAG_REQUIRES_REBOOT : 0));
      out.writeLongLE(Math.max(0, o.expectedSize()));
      PtpString.encode(fit(o.lastError()), out);
    }
  }

  public static List<OwnerInfo> decodeOwners(ByteBuf in) throws MalformedDatasetException {
    int n = count(in, 13, "owner");
    List<OwnerInfo> owners = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = PtpString.decode(in);
      need(in, 8, "owner kind and status");
      int kind = in.readUnsignedShortLE();
      if (kind != KIND_PASSIVE && kind != KIND_ACTIVE) throw bad("owner " + id + ": unknown kind " + kind);
      OwnerStatus status = ownerStatus(in.readUnsignedShortLE(), id);
      int m = count(in, 1, "volume");
      List<String> volumes = new ArrayList<>(m);
      for (int j = 0; j < m; j++) volumes.add(PtpString.decode(in));
      need(in, 12, "owner flags and size");
      int flags = in.readIntLE();
      long expected = in.readLongLE();
      if (expected < 0) throw bad("owner " + id + ": expected size beyond 2^63");
      String lastError = PtpString.decode(in);
      owners.add(new OwnerInfo(id, kind == KIND_ACTIVE, status, volumes, (flags & FLAG_INCREMENTAL) != 0,
          (flags & FLAG_REQUIRES_REBOOT) != 0, expected, lastError));
    }
    end(in, "owner list");
    return owners;
  }

  /** OpenBackupSession's data phase: which owners (a partial session) and which volumes (none: all). */
  public record SessionRequest(List<String> owners, List<String> volumes) {
    public SessionRequest {
      owners = List.copyOf(owners);
      volumes = List.copyOf(volumes);
    }
  }

  public static void encodeRequest(SessionRequest request, ByteBuf out) {
    out.writeIntLE(request.owners().size());
    for (String o : request.owners()) PtpString.encode(o, out);
    out.writeIntLE(request.volumes().size());
    for (String v : request.volumes()) PtpString.encode(v, out);
  }

  /**
   * Decodes a session request. Bytes that are not the dataset answer InvalidDataset; too many
   * names or bytes after the volume list answer InvalidParameter (the request is well formed but
   * asks for what the device does not take).
   */
  public static SessionRequest decodeRequest(ByteBuf in) throws MalformedDatasetException {
    List<String> owners = names(in, "owner");
    List<String> volumes = names(in, "volume");
    if (in.isReadable()) throw new MalformedDatasetException(ResponseCode.INVALID_PARAMETER, in.readableBytes() + " bytes after the volume list");
    return new SessionRequest(owners, volumes);
  }

  public static void encodeStatus(SessionStatus status, ByteBuf out) {
    out.writeIntLE(status.sessionId());
    out.writeShortLE(status.state().code());
    PtpString.encode(fit(status.error()), out);
    out.writeIntLE(status.owners().size());
    for (SessionStatus.Owner o : status.owners()) {
      PtpString.encode(fit(o.id()), out);
      out.writeShortLE(o.status().code());
      PtpString.encode(fit(o.error()), out);
      out.writeLongLE(Math.max(0, o.bytesDone()));
      out.writeLongLE(Math.max(0, o.expectedBytes()));
    }
  }

  public static SessionStatus decodeStatus(ByteBuf in) throws MalformedDatasetException {
    need(in, 6, "session id and state");
    int id = in.readIntLE();
    int code = in.readUnsignedShortLE();
    SessionState state = SessionState.of(code);
    if (state == null) throw bad("unknown session state " + code);
    String error = PtpString.decode(in);
    int n = count(in, 19, "owner");
    List<SessionStatus.Owner> owners = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String owner = PtpString.decode(in);
      need(in, 2, "owner status");
      OwnerStatus status = ownerStatus(in.readUnsignedShortLE(), owner);
      String ownerError = PtpString.decode(in);
      need(in, 16, "owner progress");
      long done = in.readLongLE(), expected = in.readLongLE();
      if (done < 0 || expected < 0) throw bad("owner " + owner + ": progress beyond 2^63 bytes");
      owners.add(new SessionStatus.Owner(owner, status, ownerError, done, expected));
    }
    end(in, "session status");
    return new SessionStatus(id, state, error, owners);
  }

  private static List<String> names(ByteBuf in, String what) throws MalformedDatasetException {
    need(in, 4, what + " count");
    long announced = in.getUnsignedIntLE(in.readerIndex());
    if (announced > MAX_NAMES) throw new MalformedDatasetException(ResponseCode.INVALID_PARAMETER, announced + " " + what + "s, at most " + MAX_NAMES);
    int n = count(in, 1, what);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(PtpString.decode(in));
    return out;
  }

  private static OwnerStatus ownerStatus(int code, String owner) throws MalformedDatasetException {
    OwnerStatus s = OwnerStatus.of(code);
    if (s == null) throw bad("owner " + owner + ": unknown status " + code);
    return s;
  }

  /** A uint32 count whose elements take at least {@code minBytes} each, checked against what is left. */
  private static int count(ByteBuf in, int minBytes, String what) throws MalformedDatasetException {
    need(in, 4, what + " count");
    long n = in.readUnsignedIntLE();
    if (n * minBytes > in.readableBytes()) throw bad(n + " " + what + "s announced, " + in.readableBytes() + " bytes left");
    return (int) n;
  }

  private static void need(ByteBuf in, int bytes, String what) throws MalformedDatasetException {
    if (in.readableBytes() < bytes) throw bad("truncated at " + what);
  }

  private static void end(ByteBuf in, String what) throws MalformedDatasetException {
    if (in.isReadable()) throw bad(in.readableBytes() + " bytes after the " + what);
  }

  private static MalformedDatasetException bad(String why) {
    return new MalformedDatasetException(ResponseCode.INVALID_DATASET, why);
  }
}
