package io.mtpbridge.sim.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The demo storage: a folder with a few sample files, created on first run in
 * {@code $XDG_DATA_HOME/mtpbridge-sim/demo} (default {@code ~/.local/share/mtpbridge-sim/demo}).
 * An existing folder is never touched, so what a user puts there stays.
 */
public final class DemoContent {
  public static final String STORAGE_NAME = "Demo";
  static final String WELCOME = "Documents/welcome.txt";

  private DemoContent() {}

  /**
   * The demo storage folder. The system property {@code mtpbridge.sim.data} replaces
   * {@code $XDG_DATA_HOME} (the tests point it into target/ so they never touch a home folder).
   */
  public static Path defaultFolder() {
    String override = System.getProperty("mtpbridge.sim.data");
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = override != null && !override.isBlank() ? Path.of(override)
        : xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("mtpbridge-sim").resolve("demo");
  }

  static String describeDefaultFolder() { return "$XDG_DATA_HOME/mtpbridge-sim/demo, default ~/.local/share/mtpbridge-sim/demo"; }

  /** Creates the sample files unless the folder exists already; returns true when it created them. */
  public static boolean createIfMissing(Path folder) throws IOException {
    if (Files.exists(folder)) return false;
    Path tmp = Files.createDirectories(folder.getParent()).resolve(folder.getFileName() + ".creating");
    deleteTree(tmp);
    Files.createDirectories(tmp.resolve("Documents"));
    Files.createDirectories(tmp.resolve("Pictures"));
    Files.createDirectories(tmp.resolve("Music"));
    Files.writeString(tmp.resolve(WELCOME), String.join("\n",
        "Welcome to the MTP Bridge simulated device.",
        "",
        "This folder is served as the storage \"" + STORAGE_NAME + "\". Files you copy here appear on the host,",
        "and files the host sends arrive here. Delete the folder to get the samples back on the next start.",
        ""), StandardCharsets.UTF_8);
    Files.writeString(tmp.resolve("Documents/notes.md"), "# Notes\n\n- plug in\n- browse\n- copy files both ways\n", StandardCharsets.UTF_8);
    writeSamplePicture(tmp.resolve("Pictures/gradient.png"));
    byte[] noise = new byte[256 * 1024 + 7];
    new Random(42).nextBytes(noise);
    Files.write(tmp.resolve("Music/noise.bin"), noise);
    // Rename at the end so a crash half-way never leaves a half-filled demo folder in place.
    Files.move(tmp, folder);
    return true;
  }

  private static void writeSamplePicture(Path file) throws IOException {
    BufferedImage img = new BufferedImage(128, 96, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, (x * 2) << 16 | (y * 2) << 8 | 0x80);
    }
    if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer in this JDK");
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (var s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }
}
