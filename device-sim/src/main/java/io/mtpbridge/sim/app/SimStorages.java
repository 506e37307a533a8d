package io.mtpbridge.sim.app;

import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.device.StorageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens the configured folders as file-system storages, with one clear line for each problem. */
final class SimStorages {
  private SimStorages() {}

  static List<FileSystemStorage> open(List<StorageSpec> specs) throws IOException {
    List<FileSystemStorage> out = new ArrayList<>();
    try {
      for (StorageSpec s : specs) out.add(open(s));
      return out;
    } catch (IOException e) {
      out.forEach(FileSystemStorage::close);
      throw e;
    }
  }

  private static FileSystemStorage open(StorageSpec s) throws IOException {
    Path p = s.path();
    if (!Files.isDirectory(p)) {
      throw new IOException("storage \"" + s.name() + "\": " + p + (Files.exists(p) ? " is not a folder" : " does not exist")
          + ": create the folder or fix --storage " + s);
    }
    if (!Files.isReadable(p)) throw new IOException("storage \"" + s.name() + "\": " + p + " is not readable by this user: fix its permissions");
    if (!s.readOnly() && !Files.isWritable(p)) {
      throw new IOException("storage \"" + s.name() + "\": " + p + " is not writable by this user: add :ro to serve it read-only, or fix its permissions");
    }
    return new FileSystemStorage(s.name(), p, s.readOnly());
  }
}
