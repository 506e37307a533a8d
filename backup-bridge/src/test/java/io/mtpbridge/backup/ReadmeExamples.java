package io.mtpbridge.backup;

import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.ActiveBackupDataClient;
import io.mtpbridge.backup.client.BackupAgent;
import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.engine.EngineConfig;
import io.mtpbridge.backup.mtp.BackupBridge;
import io.mtpbridge.backup.mtp.BackupStorage;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.ResponderBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Java examples of the backup modules' READMEs, compiled with the build. Each one is a region
 * between a "README file" line and an "END README" line; {@link ReadmeExamplesTest} checks that
 * every ```java block of those READMEs is one of these regions, line for line, and back.
 */
final class ReadmeExamples {
  private ReadmeExamples() {}

  // README backup-client/README.md
  static ActiveBackupClient connectRaw(Path socket, ActiveBackupDataClient owner) throws IOException {
    return ActiveBackupClient.connect(socket, "org.example.journal", owner, (info, readiness) -> {
      if (info.affectsMe()) readiness.ready();       // quiesce first; readiness.notReady(code) to refuse
    });
  }
  // END README

  // README backup-bridge/README.md
  static MtpResponder device(ResponderBuilder responderBuilder) throws IOException {
    BackupEngine engine = BackupEngine.start(new EngineConfig(
        Path.of("/etc/mtpbridge/backup.d"),                       // registrations
        Map.of("internal", Path.of("/data"), "sdcard", Path.of("/media/sd")),
        Path.of("/run/mtpd/backup-engine.sock"),                  // null: in-process owners only
        Path.of("/var/lib/mtpd/backup-staging"), 8L << 30,        // staging directory and its limit
        Duration.ofSeconds(30), "My device"));                    // readiness timeout, device name
    BackupStorage storage = new BackupStorage(engine, Duration.ofSeconds(3));
    return new BackupBridge(engine).install(responderBuilder, storage).build();  // or install(builder) without the storage
  }
  // END README
}

// README backup-client/README.md
final class NotesAgent extends BackupAgent {
  private final Path file;

  NotesAgent(Path file) { this.file = file; }

  @Override protected void backup(String volume, InputStream previous, OutputStream data, OutputStream snapshot)
      throws IOException {
    Files.copy(file, data);                        // everything (previous is null: not incremental)
  }

  @Override protected void restore(String volume, List<RestorePart> chain) throws IOException {
    Path incoming = file.resolveSibling(file.getFileName() + ".restoring");
    try (InputStream in = chain.get(chain.size() - 1).open()) {
      Files.copy(in, incoming, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.move(incoming, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void run(Path file) throws Exception {
    NotesAgent agent = new NotesAgent(file);
    ActiveBackupClient client = agent.connect(Path.of("/run/mtpd/backup-engine.sock"), "org.example.notes");
    client.awaitDisconnect();                      // serve until the engine goes away
  }
}
// END README
