package io.mtpbridge.backup.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Runs the journal owner as its own process:
 * {@code java -cp backup-bridge.jar io.mtpbridge.backup.demo.JournalOwnerMain --socket PATH --dir DIR [--seed N]}.
 * It connects to the engine's socket (the engine checks this process's uid) and serves until
 * the engine goes away. Exit status 1 when the engine refuses it (wrong uid, unknown owner).
 */
public final class JournalOwnerMain {
  private JournalOwnerMain() {}

  public static void main(String[] args) throws Exception {
    Path socket = null;
    Path dir = null;
    int seed = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--socket": socket = Path.of(args[++i]); break;
        case "--dir": dir = Path.of(args[++i]); break;
        case "--seed": seed = Integer.parseInt(args[++i]); break;
        default:
          System.err.println("usage: JournalOwnerMain --socket PATH --dir DIR [--seed N]");
          System.exit(2);
      }
    }
    if (socket == null || dir == null) {
      System.err.println("usage: JournalOwnerMain --socket PATH --dir DIR [--seed N]");
      System.exit(2);
    }
    JournalOwner owner = new JournalOwner(dir);
    for (int i = 0; i < seed; i++) owner.put("entry-" + i, ("journal entry " + i + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      owner.connect(socket);
    } catch (java.io.IOException e) {
      System.err.println("journal owner: " + e.getMessage());
      System.exit(1);
    }
    System.out.println("journal owner connected to " + socket);
    System.out.flush();
    owner.client().awaitDisconnect();
    System.out.println("journal owner: the engine went away; exiting");
  }
}
