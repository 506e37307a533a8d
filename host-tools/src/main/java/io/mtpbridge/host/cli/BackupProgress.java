package io.mtpbridge.host.cli;

import io.mtpbridge.backup.protocol.SessionStatus;
import io.mtpbridge.host.backup.BackupListener;

/** A backup's or restore's progress on the terminal: bytes, rate, and the owner being transferred. */
final class BackupProgress implements BackupListener {
  private final ProgressBar bar;
  private SessionStatus status;

  BackupProgress(ProgressBar bar) {
    this.bar = bar;
  }

  @Override public void status(SessionStatus s) { status = s; }

  @Override public void phase(String what, long totalBytes) {
    long total = totalBytes;
    if (total < 0 && what.equals("archive") && status != null) {
      long expected = 0;
      for (SessionStatus.Owner o : status.owners()) expected += o.expectedBytes();
      total = expected > 0 ? expected : -1;
    }
    bar.start(what, total);
  }

  @Override public void owner(String owner) {
    int index = 0;
    int count = status == null ? 0 : status.owners().size();
    if (status != null) {
      for (int i = 0; i < count; i++) if (status.owners().get(i).id().equals(owner)) index = i + 1;
    }
    bar.note(owner + (index > 0 ? " (" + index + "/" + count + ")" : ""));
  }

  @Override public void bytes(long n) { bar.advance(n); }

  @Override public void phaseEnd() { bar.end(); }
}
