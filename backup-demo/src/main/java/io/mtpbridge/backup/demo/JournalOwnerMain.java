package io.mtpbridge.backup.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Runs the journal owner as its own process:
 * {@code java -jar backup-demo/target/backup-demo.jar --socket PATH --dir DIR [--seed N]} (backup-demo/README.md).
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
        case "--socket": socket = i + 1 < args.length ? Path.of(args[++i]) : null; break;
        case "--dir": dir = i + 1 < args.length ? Path.of(args[++i]) : null; break;
        case "--seed":
          try {
            seed = Integer.parseInt(args[++i]);
          } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            seed = -1;
          }
          if (seed >= 0) break;
          System.err.println("journal owner: --seed needs a whole number of entries");
          System.exit(2);
          break;
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
