package io.mtpbridge.host.backup;

import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.format.ArchiveVerifier;
import io.mtpbridge.backup.format.BoundedTarInputStream;
import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.protocol.BackupExtension.Increment;
import io.mtpbridge.backup.protocol.BackupExtension.Mode;
import io.mtpbridge.backup.protocol.BackupExtension.Outcome;
import io.mtpbridge.backup.protocol.OwnerInfo;
import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.backup.protocol.SessionStatus;
import io.mtpbridge.host.Cancellation;
import io.mtpbridge.host.MtpCancelledException;
import io.mtpbridge.host.Transaction;
import io.mtpbridge.host.link.TransferStatus;
import io.mtpbridge.host.link.UsbTransferException;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.repo.SetRecord;
import io.mtpbridge.host.repo.StoredSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Backup and restore of a whole device between its backup extension and a {@link BackupRepository}.
 *
 * <p>Backup: incremental when the repository holds a set (the newest set's snapshots and manifest
 * go to SupplySnapshots), full otherwise; the archive streams from ReadBackupArchive to disk while a
 * second thread checks every stream's SHA-256 against the manifest as it passes; the set appears
 * only when the archive is complete and verified. Any failure, a cancel or an unplug aborts the
 * device session (its owners are told to terminate) and removes everything of the new set.
 *
 * <p>Restore: the chain (full base, then each increment in order) is verified on disk first, then
 * sent archive by archive with WriteRestoreArchive, and committed; each owner's result is read
 * after the commit.
 */
public final class HostBackup {
  /** Chunks handed to the verifier at once: enough to keep both threads busy, 2 MiB of heap at most. */
  private static final int PIPE_DEPTH = 8;

  private final BackupClient client;
  private final Cancellation cancellation;
  private final BackupListener listener;

  public HostBackup(BackupClient client, Cancellation cancellation, BackupListener listener) {
    this.client = client;
    this.cancellation = cancellation;
    this.listener = listener;
  }

  /** What to back up: everything (no owners), or the named owners; all volumes, or the named ones. */
  public record Request(boolean full, List<String> owners, List<String> volumes) {
    public Request {
      owners = List.copyOf(owners);
      volumes = List.copyOf(volumes);
    }
  }

  /** The device a set comes from, as set.json records it. */
  public record DeviceIdentity(String serial, String manufacturer, String model) {}

  /** A finished backup: the new set and the device's last word on each owner. */
  public record BackupResult(StoredSet set, SessionStatus status, int failedOwners) {}

  public BackupResult backup(BackupRepository repo, DeviceIdentity device, Request request) throws IOException {
    StoredSet previous = request.full() ? null : repo.newest().orElse(null);
    boolean increment = previous != null;
    BackupRepository.IncompleteSet partial = repo.begin();
    Integer session = null;
    boolean closed = false;
    try {
      cancellation.check();
      session = client.open(Mode.BACKUP, increment ? Increment.INCREMENT : Increment.BASE, request.owners(), request.volumes());
      if (increment) supplySnapshots(session, previous, partial.dir());
      cancellation.check();
      SessionStatus before = client.status(session);
      listener.status(before);
      Manifest manifest = readArchive(session, partial.archive());
      if (increment && !previous.id().equals(manifest.parent())) {
        throw new IOException("the device made an increment of set " + manifest.parent() + ", not of the newest set "
            + previous.id() + " in the repository; nothing was kept (run the backup again, or with --full)");
      }
      SessionStatus after = client.status(session);
      listener.status(after);
      int failed = client.close(session, Outcome.COMMIT);
      closed = true;
      long bytes = Files.size(partial.archive());
      SetRecord record = new SetRecord(manifest.setId(), device.serial(), device.manufacturer(), device.model(), Instant.now().toString(), bytes);
      StoredSet set = partial.commit(manifest, record);
      return new BackupResult(set, after, failed);
    } catch (IOException | RuntimeException e) {
      if (session != null && !closed) abortQuietly(session);
      partial.discard();
      if (cancellation.isCancelled() && !(e instanceof Cancellation.CancelledException)) {
        throw new Cancellation.CancelledException("interrupted: the backup was aborted on the device and no set was kept");
      }
      if (disconnected(e)) {
        throw new IOException("the device went away during the backup (unplugged, reset or switched off): no set was kept;"
            + " plug it in again and run the backup again", e);
      }
      throw e;
    }
  }

  /** Whether {@code e} comes from a link that lost the device. */
  static boolean disconnected(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UsbTransferException u && u.status() == TransferStatus.DISCONNECTED) return true;
    }
    return false;
  }

  private void abortQuietly(int session) {
    try {
      client.close(session, Outcome.ABORT);
    } catch (IOException | RuntimeException ignored) {
      // the session is aborted on the device anyway (cancel, reset or the end of the MTP session)
    }
  }

  /** SupplySnapshots from the previous set: its *.snapshot entries and manifest.json, as a small tar. */
  private void supplySnapshots(int session, StoredSet previous, Path workDir) throws IOException {
    Path tar = workDir.resolve("snapshots.tar");
    try {
      copySnapshots(previous, tar);
    } catch (IOException e) {
      // the tar reader's own words ("Corrupted TAR archive.") say nothing of what to do
      throw new IOException("the newest set " + previous.id() + " in the repository cannot be read to build on (" + e.getMessage()
          + "): check it with mtpbridge verify, or make a full backup with mtpbridge backup --full", e);
    }
    long size = Files.size(tar);
    listener.phase("snapshots of " + previous.id(), size);
    try (FileChannel ch = FileChannel.open(tar, StandardOpenOption.READ)) {
      client.supplySnapshots(session, new CountingIn(ch), size);
    } finally {
      listener.phaseEnd();
      Files.deleteIfExists(tar);
    }
  }

  /** The previous set's *.snapshot entries and manifest.json, as a small tar. */
  private static void copySnapshots(StoredSet previous, Path tar) throws IOException {
    try (InputStream in = Files.newInputStream(previous.archive(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
         TarArchiveInputStream src = BoundedTarInputStream.of(in);
         OutputStream out = Files.newOutputStream(tar);
         TarArchiveOutputStream dst = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
      dst.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      dst.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      TarArchiveEntry e;
      while ((e = src.getNextEntry()) != null) {
        String name = e.getName();
        if (!name.equals(Manifest.FILE_NAME) && !name.endsWith(".snapshot")) continue;
        TarArchiveEntry copy = new TarArchiveEntry(name, true);
        copy.setSize(e.getSize());
        copy.setLastModifiedTime(e.getLastModifiedTime());
        dst.putArchiveEntry(copy);
        src.transferTo(dst);
        dst.closeArchiveEntry();
      }
    }
  }

  /**
   * ReadBackupArchive to {@code target}, verified on the way: returns the manifest once every
   * stream matched it. The USB thread never throws from its sink: a disk or verification failure
   * is kept and turns into a cancel, so the device's data phase ends cleanly.
   */
  private Manifest readArchive(int session, Path target) throws IOException {
    ChunkPipe pipe = new ChunkPipe(PIPE_DEPTH);
    ExecutorService verifier = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mtpbridge-verify");
      t.setDaemon(true);
      return t;
    });
    listener.phase("archive", -1);
    try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
      Future<Manifest> verified = verifier.submit(() -> {
        try (InputStream in = pipe.input()) {
          return ArchiveVerifier.verify(in, null, new ArchiveVerifier.Listener() {
            @Override public void entryStarted(String name, long size) {
              if (name.equals(Manifest.FILE_NAME)) return;
              try {
                listener.owner(EntryName.parse(name).owner());
              } catch (ArchiveException ignored) {
                // the verifier itself reports it
              }
            }
          });
        }
      });
      Transaction t = client.beginReadArchive(session);
      Sink sink = new Sink(out, target, pipe, t, verified);
      try (Cancellation.Registration r = cancellation.onCancel(t::requestCancel)) {
        long n = t.receiveData(sink);
        if (n < 0) client.finish(t); // a refusal instead of data
      } catch (MtpCancelledException e) {
        sink.rethrowCause();
        throw e;
      }
      sink.rethrowCause();
      client.finish(t);
      pipe.close();
      try {
        return verified.get();
      } catch (ExecutionException e) {
        throw verificationFailure(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while verifying the archive");
      }
    } finally {
      verifier.shutdownNow();
      listener.phaseEnd();
    }
  }

  private static IOException verificationFailure(Throwable cause) {
    if (cause instanceof ArchiveException a) {
      return new IOException("the archive from the device failed verification: " + a.getMessage() + "; nothing was kept");
    }
    if (cause instanceof IOException io) return io;
    return new IOException("verifying the archive failed: " + cause, cause);
  }

  /** Writes each buffer to the file and hands a copy to the verifier; turns failures into a cancel. */
  private final class Sink implements WritableByteChannel {
    private final FileChannel out;
    private final Path path;
    private final ChunkPipe pipe;
    private final Transaction transaction;
    private final Future<Manifest> verified;
    private IOException failure;

    Sink(FileChannel out, Path path, ChunkPipe pipe, Transaction transaction, Future<Manifest> verified) {
      this.out = out;
      this.path = path;
      this.pipe = pipe;
      this.transaction = transaction;
      this.verified = verified;
    }

    @Override public int write(ByteBuffer src) throws IOException {
      int n = src.remaining();
      if (failure == null) {
        try {
          ByteBuffer copy = src.duplicate();
          while (src.hasRemaining()) out.write(src);
          if (!pipe.put(copy)) failure = verifierFailure();
        } catch (IOException e) {
          // path is the archive in the set's hidden folder: the repository is what the person knows
          Path repo = path.toAbsolutePath().getParent().getParent();
          failure = new IOException("cannot write the archive into the repository " + repo + ": " + e.getMessage() + "; nothing was kept", e);
        }
        if (failure != null) transaction.requestCancel();
      }
      src.position(src.limit());
      listener.bytes(n);
      return n;
    }

    private IOException verifierFailure() {
      try {
        verified.get();
        return new IOException("the verifier stopped reading the archive early");
      } catch (ExecutionException e) {
        return verificationFailure(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted");
      }
    }

    void rethrowCause() throws IOException {
      if (failure != null) throw failure;
    }

    @Override public boolean isOpen() { return true; }

    @Override public void close() {}
  }

  // ---- restore --------------------------------------------------------------------------------

  /**
   * A finished restore: each owner's final result (after the commit, where active owners apply
   * their data and the checksums are compared) and the device's count of owners that ended failed.
   */
  public record RestoreResult(List<StoredSet> chain, List<OwnerResult> owners, int failedOwners) {}

  /** How one owner came out of a committed restore. */
  public enum OwnerOutcome { RESTORED, FAILED, UNKNOWN }

  /** One owner's final result; {@code detail} is the device's reason ("" when there is none). */
  public record OwnerResult(String id, OwnerOutcome outcome, String detail) {}

  /**
   * Verifies every archive of {@code chain} on disk, then restores them in order in one session
   * for {@code owners} (empty: all) and commits.
   */
  public RestoreResult restore(List<StoredSet> chain, List<String> owners) throws IOException {
    for (StoredSet s : chain) verifyLocal(s);
    int session = client.open(Mode.RESTORE, Increment.BASE, owners, List.of());
    boolean closed = false;
    try {
      for (StoredSet s : chain) {
        cancellation.check();
        long size = Files.size(s.archive());
        listener.phase("restore " + s.id(), size);
        try (FileChannel in = FileChannel.open(s.archive(), StandardOpenOption.READ, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Transaction t = client.beginWriteRestoreArchive(session);
          try (Cancellation.Registration r = cancellation.onCancel(t::requestCancel)) {
            t.sendData(new CountingIn(in), size);
          }
          client.finishRestore(t);
        } finally {
          listener.phaseEnd();
        }
      }
      SessionStatus status = client.status(session);
      listener.status(status);
      int failed = client.close(session, Outcome.COMMIT);
      closed = true;
      return new RestoreResult(chain, finalResults(status, failed), failed);
    } catch (IOException | RuntimeException e) {
      if (!closed) abortQuietly(session);
      if (cancellation.isCancelled() && !(e instanceof Cancellation.CancelledException)) {
        throw new Cancellation.CancelledException("interrupted: the restore was aborted on the device before its commit");
      }
      if (disconnected(e)) {
        throw new IOException("the device went away during the restore (unplugged, reset or switched off): it was not"
            + " committed; plug it in again and run the restore again", e);
      }
      throw e;
    }
  }

  /**
   * Each owner's result once the commit is done. The session's status, read before the commit,
   * cannot show an owner that fails while applying its data (restoreComplete, the checksum
   * check), and the session is gone after it; GetBackupOwners then shows each owner's error of
   * the session just closed (the device clears it when a session opens).
   */
  private List<OwnerResult> finalResults(SessionStatus beforeCommit, int failedCount) {
    Map<String, OwnerInfo> after = new HashMap<>();
    String unreadable = null;
    try {
      for (OwnerInfo o : client.owners()) after.put(o.id(), o);
    } catch (IOException | RuntimeException e) {
      unreadable = e.getMessage();
    }
    List<OwnerResult> out = new ArrayList<>();
    int failedSeen = 0;
    for (SessionStatus.Owner o : beforeCommit.owners()) {
      OwnerInfo now = after.get(o.id());
      if (o.status() != OwnerStatus.READY) {
        out.add(new OwnerResult(o.id(), OwnerOutcome.FAILED, o.status().label() + (blank(o.error()) ? "" : ": " + o.error())));
        failedSeen++;
      } else if (now != null && (now.status() == OwnerStatus.FAILED || !blank(now.lastError()))) {
        out.add(new OwnerResult(o.id(), OwnerOutcome.FAILED, blank(now.lastError()) ? now.status().label() : now.lastError()));
        failedSeen++;
      } else {
        out.add(new OwnerResult(o.id(), now != null ? OwnerOutcome.RESTORED : OwnerOutcome.UNKNOWN, ""));
      }
    }
    // Owners the list did not show (it could not be read, or an owner went away): restored when
    // the device's own count of failures is accounted for by the others, unknown otherwise.
    for (int i = 0; i < out.size(); i++) {
      OwnerResult r = out.get(i);
      if (r.outcome() != OwnerOutcome.UNKNOWN) continue;
      out.set(i, failedCount <= failedSeen ? new OwnerResult(r.id(), OwnerOutcome.RESTORED, "")
          : new OwnerResult(r.id(), OwnerOutcome.UNKNOWN, unreadable != null
              ? "its result could not be read after the commit (" + unreadable + ")" : "the device no longer lists it"));
    }
    return out;
  }

  private static boolean blank(String s) { return s == null || s.isBlank(); }

  /** Re-hashes a stored set's archive against its manifest.json; an ArchiveException names the bad stream. */
  public void verifyLocal(StoredSet s) throws IOException {
    Manifest manifest = s.loadManifest(); // this set's alone, for as long as its archive is read
    long size = Files.size(s.archive());
    listener.phase("verify " + s.id(), size);
    try (InputStream in = new StopsOnCancel(Files.newInputStream(s.archive(), java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
      ArchiveVerifier.verify(in, manifest, new ArchiveVerifier.Listener() {
        @Override public void bytes(long n) {
          listener.bytes(n);
        }
      });
      cancellation.check();
    } catch (ArchiveException e) {
      cancellation.check(); // stopped by Ctrl-C: the archive is not to blame
      throw new LocalArchiveException(s, e);
    } finally {
      listener.phaseEnd();
    }
  }

  /**
   * A stored archive read until Ctrl-C: re-hashing a large one takes minutes, and Ctrl-C went
   * unheard until it was done.
   */
  private final class StopsOnCancel extends java.io.FilterInputStream {
    StopsOnCancel(InputStream in) {
      super(in);
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
      cancellation.check();
      return super.read(b, off, len);
    }
  }

  /** A stored archive that does not match its manifest. */
  public static final class LocalArchiveException extends IOException {
    private final transient StoredSet set;

    LocalArchiveException(StoredSet set, ArchiveException cause) {
      super("set " + set.id() + ": " + cause.getMessage(), cause);
      this.set = set;
    }

    public StoredSet set() { return set; }
  }

  private final class CountingIn implements java.nio.channels.ReadableByteChannel {
    private final java.nio.channels.ReadableByteChannel in;

    CountingIn(java.nio.channels.ReadableByteChannel in) {
      this.in = in;
    }

    @Override public int read(ByteBuffer dst) throws IOException {
      int n = in.read(dst);
      if (n > 0) listener.bytes(n);
      return n;
    }

    @Override public boolean isOpen() { return in.isOpen(); }

    @Override public void close() throws IOException { in.close(); }
  }
}
