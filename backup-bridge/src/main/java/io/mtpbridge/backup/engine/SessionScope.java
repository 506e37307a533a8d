package io.mtpbridge.backup.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What a session covers: backup or restore, full or partial, base or increment; its owners and volumes. */
record SessionScope(boolean backup, boolean partial, boolean increment, List<OwnerRecord> participants, Set<String> volumes) {
  SessionScope {
    participants = List.copyOf(participants);
    volumes = Set.copyOf(volumes);
  }

  /** The owner's registered volumes this session includes, in registration order. */
  List<String> volumesOf(OwnerRecord r) {
    List<String> out = new ArrayList<>();
    for (String v : r.registration.volumes()) if (volumes.contains(v)) out.add(v);
    return out;
  }

  List<OwnerRecord> active() {
    List<OwnerRecord> out = new ArrayList<>();
    for (OwnerRecord r : participants) if (r.registration.isActive()) out.add(r);
    return out;
  }

  static String key(OwnerRecord r, String volume) { return r.id() + "/" + volume; }
}
