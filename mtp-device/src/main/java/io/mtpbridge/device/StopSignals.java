package io.mtpbridge.device;

import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop mtpd cleanly: the session is closed, a partial upload removed, and the
 * process exits with status 0 (the JVM's default handling would exit with 143 before the
 * protocol thread had finished its clean-up).
 */
final class StopSignals {
  private StopSignals() {}

  static void install(Runnable stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> {
          LoggerFactory.getLogger(Mtpd.class).info("SIG{} received: stopping", name);
          stop.run();
        });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LoggerFactory.getLogger(Mtpd.class).warn("cannot handle SIG{}: {}; the shutdown hook will stop mtpd", name, e.getMessage());
      }
    }
  }
}
