package io.mtpbridge.host.cli;

import io.mtpbridge.host.files.TransferProgress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line on the terminal, redrawn in place at most ten times a second: label, bytes
 * done (of the total when known), percent, rate and time left, and a note (a backup's current
 * owner). Written by hand rather than with a progress-bar library: it is one line of text, and
 * the libraries on offer bring a terminal library (JLine) along for it. Disabled (every call a
 * no-op) when stdout is not a terminal, with --quiet and with --json.
 */
final class ProgressBar implements TransferProgress {
  private static final int WIDTH = 79;
  private static final long REDRAW_NANOS = 100_000_000L;
  private final PrintStream out;
  private final boolean enabled;
  private String label = "";
  private String note = "";
  private long total = -1;
  private long done;
  private long startNanos;
  private long lastDraw;
  private boolean drawn;

  ProgressBar(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  @Override public synchronized void start(String label, long total) {
    if (!enabled) return;
    this.label = VisibleText.of(label);
    this.total = total;
    this.done = 0;
    this.note = "";
    this.startNanos = System.nanoTime();
    this.lastDraw = 0;
    draw(true);
  }

  @Override public synchronized void advance(long bytes) {
    if (!enabled) return;
    done += bytes;
    draw(false);
  }

  synchronized void note(String text) {
    if (!enabled || text.equals(note)) return;
    note = text;
    draw(true);
  }

  @Override public synchronized void end() {
    if (!enabled || !drawn) return;
    draw(true);
    out.print("\n");
    out.flush();
    drawn = false;
  }

  private void draw(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastDraw < REDRAW_NANOS) return;
    lastDraw = now;
    double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
    double rate = done / seconds;
    StringBuilder line = new StringBuilder();
    line.append(bytes(done));
    if (total >= 0) {
      line.append(" / ").append(bytes(total));
      line.append(String.format(Locale.ROOT, " %3d%%", total == 0 ? 100 : (int) (100 * done / total)));
    }
    line.append("  ").append(bytes((long) rate)).append("/s");
    if (total > 0 && rate > 0 && done < total) {
      long left = (long) ((total - done) / rate);
      line.append(String.format(Locale.ROOT, "  ETA %d:%02d", left / 60, left % 60));
    }
    if (!note.isEmpty()) line.append("  ").append(note);
    String tail = line.toString();
    int room = WIDTH - tail.length() - 2;
    String head = label.length() <= room ? label : "…" + label.substring(Math.max(0, label.length() - room + 1));
    String text = (head + "  " + tail);
    if (text.length() > WIDTH) text = text.substring(0, WIDTH);
    out.print("\r" + text + " ".repeat(Math.max(0, WIDTH - text.length())));
    out.flush();
    drawn = true;
  }

  static String bytes(long n) {
    if (n < 1024) return n + " B";
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
