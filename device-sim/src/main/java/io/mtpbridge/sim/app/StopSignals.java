package io.mtpbridge.sim.app;

import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT release the serving thread instead of starting the JVM's shutdown, so the
 * session is closed, a partial upload removed, and the process exits 0 (the default handling exits
 * 143 while the protocol thread may still be cleaning up). The shutdown hook stays as a fallback.
 */
final class StopSignals {
  private StopSignals() {}

  static void install(Runnable stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> {
          LoggerFactory.getLogger(DeviceSim.class).info("SIG{} received: stopping", name);
          stop.run();
        });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LoggerFactory.getLogger(DeviceSim.class).warn("cannot handle SIG{}: {}; the shutdown hook will stop the device", name, e.getMessage());
      }
    }
  }
}
