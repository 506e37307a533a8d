package io.mtpbridge.host.usb;

/**
 * How long a wait made of slices has heard nothing from the device. The limit is on the device's
 * silence, not on the transfer's length: a slow but steady stream (a backup waiting on its owners
 * between bursts) goes on as long as data keeps coming. And a slice that took longer than it asked
 * for (this process was stopped with SIGSTOP or Ctrl-Z, the PC suspended) counts only what it
 * asked for: a pause of ours is not the device's silence, so the transfer carries on after resume.
 */
final class Silence {
  private final long limitMillis;
  private long heardNothingMillis;

  /** {@code limitMillis} of silence allowed; 0 or less: no limit. */
  Silence(long limitMillis) {
    this.limitMillis = limitMillis <= 0 ? Long.MAX_VALUE : limitMillis;
  }

  /** The next slice's length: {@code slice}, or what is left of the limit if less (at least 1 ms). */
  long nextWait(long slice) {
    return Math.max(1, Math.min(slice, limitMillis - heardNothingMillis));
  }

  /** Records a slice that asked for {@code askedMillis}, took {@code tookMillis} and brought {@code bytes}. */
  void after(long askedMillis, long tookMillis, int bytes) {
    if (bytes > 0) {
      heardNothingMillis = 0;
    } else {
      heardNothingMillis += Math.max(1, Math.min(askedMillis, tookMillis));
    }
  }

  /** Whether the device has been silent for the whole limit. */
  boolean over() {
    return heardNothingMillis >= limitMillis;
  }
}
