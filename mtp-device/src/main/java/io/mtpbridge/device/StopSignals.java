package io.mtpbridge.device;

import org.slf4j.Logger;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop a serving program (mtpd, device-sim) cleanly: the handler releases the
 * serving thread instead of starting the JVM's shutdown, so the session is closed, a partial
 * upload removed, and the process exits with status 0 (the JVM's default handling would exit with
 * 143 while the protocol thread may still be cleaning up). The program's shutdown hook stays as
 * the fallback where signals cannot be handled.
 */
public final class StopSignals {
  private StopSignals() {}

  /** Runs {@code stop} on SIGTERM and SIGINT; {@code program} names what stops in the log. */
  public static void install(Logger log, String program, Runnable stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> {
          log.info("SIG{} received: stopping", name);
          stop.run();
        });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        log.warn("cannot handle SIG{}: {}; the shutdown hook will stop {}", name, e.getMessage(), program);
      }
    }
  }
}
