package io.mtpbridge.host;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A request to stop long work (a person pressed Ctrl-C), passed down to whatever transfers: each
 * registers what stops it ({@link Transaction#requestCancel}) for as long as it runs. Safe from
 * any thread; a signal handler calls {@link #cancel}.
 */
public final class Cancellation {
  private volatile boolean cancelled;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public void cancel() {
    if (cancelled) return;
    cancelled = true;
    for (Runnable r : listeners) r.run();
  }

  public boolean isCancelled() { return cancelled; }

  /** Runs {@code stop} on cancel (at once if already cancelled) until the returned handle is closed. */
  public Registration onCancel(Runnable stop) {
    listeners.add(stop);
    if (cancelled) stop.run();
    return new Unregister(listeners, stop);
  }

  // A class, not a lambda: every lambda is a class made at run time on its first use, which
  // under emulation is a noticeable part of a short command's start (host-tools/README.md).
  private record Unregister(List<Runnable> listeners, Runnable stop) implements Registration {
    @Override public void close() { listeners.remove(stop); }
  }

  /** Throws {@link CancelledException} when cancelled. */
  public void check() throws CancelledException {
    if (cancelled) throw new CancelledException("interrupted");
  }

  /** A registered stop action; closing it unregisters. */
  public interface Registration extends AutoCloseable {
    @Override void close();
  }

  /** Work that stopped because it was cancelled. */
  public static final class CancelledException extends java.io.IOException {
    public CancelledException(String message) { super(message); }
  }
}
