package io.mtpbridge.device;

import io.mtpbridge.core.code.StorageType;
import io.mtpbridge.core.storage.fs.CommitPolicy;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens the configured folders as file-system storages, refusing any that cannot work as asked (mtpd and device-sim). */
public final class DeviceStorages {
  /** How received files are made durable: mtp-core's batches, each synced with one syncfs(2). */
  public static final CommitPolicy COMMITS = CommitPolicy.BATCHED.withSync(Syncfs.atFirstSync());

  private DeviceStorages() {}

  public static List<FileSystemStorage> open(List<StorageSpec> specs) throws StartupException {
    List<FileSystemStorage> storages = new ArrayList<>();
    try {
      for (StorageSpec s : specs) {
        storages.add(open(s));
      }
      return storages;
    } catch (StartupException e) {
      for (FileSystemStorage st : storages) st.close();
      throw e;
    }
  }

  private static FileSystemStorage open(StorageSpec s) throws StartupException {
    Path p = s.path();
    if (!Files.exists(p)) {
      throw new StartupException("storage \"" + s.name() + "\": " + p + " does not exist: create the folder or fix --storage " + s);
    }
    if (!Files.isDirectory(p)) {
      throw new StartupException("storage \"" + s.name() + "\": " + p + " is not a folder: --storage needs a directory");
    }
    if (!Files.isReadable(p)) {
      throw new StartupException("storage \"" + s.name() + "\": " + p + " is not readable by this user: fix its permissions");
    }
    if (!s.readOnly() && !Files.isWritable(p)) {
      throw new StartupException("storage \"" + s.name() + "\": " + p + " is not writable by this user: add :ro to serve it read-only, or fix its permissions");
    }
    FileSystemStorage storage;
    try {
      storage = new FileSystemStorage(s.name(), p, s.readOnly(), StorageType.FIXED_RAM, s.ownership(), COMMITS);
    } catch (IOException e) {
      throw new StartupException("storage \"" + s.name() + "\": cannot serve " + p + ": " + e.getMessage(), e);
    }
    try {
      storage.checkOwnership();
    } catch (IOException e) {
      storage.close();
      throw new StartupException("storage \"" + s.name() + "\": " + e.getMessage()
          + ": run mtpd as root, or drop the uid=/gid= options of --storage " + s, e);
    }
    return storage;
  }
}
