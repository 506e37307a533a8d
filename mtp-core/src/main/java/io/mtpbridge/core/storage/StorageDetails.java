package io.mtpbridge.core.storage;

import io.mtpbridge.core.code.AccessCapability;
import io.mtpbridge.core.code.StorageType;
import java.util.Objects;

/**
 * A storage's identity and space, the content of the MTP StorageInfo dataset.
 *
 * @param description shown by hosts as the storage's name
 * @param volumeLabel volume identifier (may be empty)
 * @param type fixed/removable, RAM/ROM
 * @param hierarchical true for a folder tree (FilesystemType generic hierarchical), false for flat
 * @param access what the host may do
 * @param capacity total bytes
 * @param freeSpace free bytes
 */
public record StorageDetails(String description, String volumeLabel, StorageType type, boolean hierarchical,
                             AccessCapability access, long capacity, long freeSpace) {
  public StorageDetails {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(volumeLabel, "volumeLabel");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(access, "access");
  }
}
