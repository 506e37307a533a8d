package io.mtpbridge.device;

import java.nio.file.Path;

/**
 * One storage to serve, as written on the command line or in the config file:
 * {@code NAME=PATH} or {@code NAME=PATH:ro}.
 */
public record StorageSpec(String name, Path path, boolean readOnly) {
  public static final String SYNTAX = "NAME=PATH or NAME=PATH:ro";

  public static StorageSpec parse(String text) throws UsageException {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new UsageException("storage \"" + text + "\" is not " + SYNTAX + " (for example Internal=/srv/mtp or Photos=/data/photos:ro)");
    }
    String name = text.substring(0, eq).strip();
    String path = text.substring(eq + 1).strip();
    boolean readOnly = false;
    if (path.endsWith(":ro")) {
      readOnly = true;
      path = path.substring(0, path.length() - 3);
    } else if (path.endsWith(":rw")) {
      path = path.substring(0, path.length() - 3);
    }
    if (name.isEmpty() || path.isEmpty()) throw new UsageException("storage \"" + text + "\" is not " + SYNTAX);
    return new StorageSpec(name, Path.of(path), readOnly);
  }

  @Override public String toString() { return name + "=" + path + (readOnly ? ":ro" : ""); }
}
