package io.mtpbridge.backup.mtp;

import io.mtpbridge.backup.engine.OwnerView;
import io.mtpbridge.backup.engine.SessionStatus;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.MalformedDatasetException;
import io.mtpbridge.core.dataset.PtpString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte layouts of the backup extension's datasets (little-endian, PTP strings), documented in
 * backup-bridge/README.md. Strings longer than a PTP string holds are cut, since these are
 * labels for people, and ids are at most 128 characters by registration rule.
 */
final class BackupDatasets {
  static final int FLAG_INCREMENTAL = 1;
  static final int FLAG_REQUIRES_REBOOT = 2;
  static final int MAX_REQUEST = 64 * 1024;

  private BackupDatasets() {}

  static String fit(String s) {
    if (s == null) return "";
    return s.length() > PtpString.MAX_CHARS ? s.substring(0, PtpString.MAX_CHARS - 3) + "..." : s;
  }

  static ByteBuf owners(List<OwnerView> owners) {
    ByteBuf b = Unpooled.buffer();
    b.writeIntLE(owners.size());
    for (OwnerView o : owners) {
      PtpString.encode(fit(o.id()), b);
      b.writeShortLE(o.active() ? 2 : 1);
      b.writeShortLE(o.status().code());
      b.writeIntLE(o.volumes().size());
      for (String v : o.volumes()) PtpString.encode(fit(v), b);
      b.writeIntLE((o.supportsIncremental() ? FLAG_INCREMENTAL : 0) | (o.requiresReboot() ? FLAG_REQUIRES_REBOOT : 0));
      b.writeLongLE(Math.max(0, o.expectedSize()));
      PtpString.encode(fit(o.lastError()), b);
    }
    return b;
  }

  static int stateCode(SessionStatus s) {
    switch (s.state()) {
      case OPEN: return 1;
      case TRANSFERRING: return 2;
      case TRANSFERRED: return 3;
      case ABORTED: return 4;
      default: return 5;
    }
  }

  static ByteBuf status(SessionStatus s) {
    ByteBuf b = Unpooled.buffer();
    b.writeIntLE(s.sessionId());
    b.writeShortLE(stateCode(s));
    PtpString.encode(fit(s.error()), b);
    b.writeIntLE(s.owners().size());
    for (SessionStatus.Owner o : s.owners()) {
      PtpString.encode(fit(o.id()), b);
      b.writeShortLE(o.status().code());
      PtpString.encode(fit(o.error()), b);
      b.writeLongLE(o.bytesDone());
      b.writeLongLE(o.expectedBytes());
    }
    return b;
  }

  /** OpenBackupSession's data: owner ids (partial) then volumes, each a uint32 count of PTP strings. */
  record SessionScope(List<String> owners, List<String> volumes) {}

  static SessionScope scope(ByteBuf in) throws MalformedDatasetException {
    List<String> owners = strings(in, "owner");
    List<String> volumes = strings(in, "volume");
    if (in.isReadable()) throw new MalformedDatasetException(ResponseCode.INVALID_PARAMETER, in.readableBytes() + " bytes after the volume list");
    return new SessionScope(owners, volumes);
  }

  private static List<String> strings(ByteBuf in, String what) throws MalformedDatasetException {
    if (in.readableBytes() < 4) throw new MalformedDatasetException(ResponseCode.INVALID_PARAMETER, what + " count missing");
    long n = in.readUnsignedIntLE();
    if (n > 1024) throw new MalformedDatasetException(ResponseCode.INVALID_PARAMETER, n + " " + what + "s, at most 1024");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(PtpString.decode(in));
    return out;
  }
}
