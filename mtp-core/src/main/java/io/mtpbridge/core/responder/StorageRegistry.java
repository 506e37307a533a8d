package io.mtpbridge.core.responder;

import io.mtpbridge.core.storage.Storage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The storages the host can reach, by StorageID. Storages may come and go while the device runs
 * (the responder sends StoreAdded / StoreRemoved).
 */
public final class StorageRegistry {
  private final Map<Integer, StorageSlot> slots = new ConcurrentSkipListMap<>(Integer::compareUnsigned);

  /** The id the next {@link #add(Storage)} would use: 0x00010001, 0x00020001, ... */
  synchronized int nextId() {
    int major = 1;
    while (slots.containsKey((major << 16) | 1)) major++;
    return (major << 16) | 1;
  }

  synchronized StorageSlot add(int id, Storage storage) {
    StorageSlot slot = new StorageSlot(id, storage);
    if (slots.containsKey(id)) throw new IllegalArgumentException(String.format("StorageID 0x%08X is already in use", id));
    slots.put(id, slot);
    return slot;
  }

  synchronized StorageSlot add(Storage storage) { return add(nextId(), storage); }

  synchronized StorageSlot remove(int id) { return slots.remove(id); }

  /** The storage with StorageID {@code id}, or null. */
  public StorageSlot get(int id) { return slots.get(id); }

  /** All storages in StorageID order. */
  public List<StorageSlot> all() { return List.copyOf(slots.values()); }

  /**
   * The storages a request with StorageID parameter {@code id} addresses: all of them for 0 and
   * 0xFFFFFFFF, else the one (or null when there is none).
   */
  public List<StorageSlot> select(int id) {
    if (id == 0 || id == 0xFFFFFFFF) return all();
    StorageSlot s = get(id);
    return s == null ? null : List.of(s);
  }
}
