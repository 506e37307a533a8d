package io.mtpbridge.core.responder;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.storage.ObjectPath;
import io.mtpbridge.core.storage.StorageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object references (SetObjectReferences: a playlist's tracks, an album's pictures), kept by
 * storage and path in a small file so they survive sessions and restarts: the handles the host
 * sees change with every restart, the paths do not. Host renames, moves and deletes update the
 * entries (both the referring object and the ones referred to); references to objects that went
 * away on the device are left out when read.
 *
 * <p>The file holds one line per referring object: its key, then its references, tab-separated;
 * a key is the StorageID in hex, a colon and the path, with %, tab, CR and LF percent-encoded. It is
 * replaced atomically (written aside, fsynced, renamed) on every change.
 */
public final class ObjectReferences {
  private static final Logger log = LoggerFactory.getLogger(ObjectReferences.class);
  /** Most references kept in all (the host cannot make the device hold an unbounded list). */
  public static final int MAX_REFERENCES = 100_000;

  /** An object by storage and path. */
  public record Ref(int storageId, ObjectPath path) {}

  private final Path file;
  private final Map<Ref, List<Ref>> byObject = new LinkedHashMap<>();
  private int count;

  private ObjectReferences(Path file) { this.file = file; }

  /** The references kept in {@code file} (created on the first change). */
  public static ObjectReferences open(Path file) {
    ObjectReferences r = new ObjectReferences(file);
    r.load();
    return r;
  }

  private void load() {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) continue;
        String[] fields = line.split("\t", -1);
        Ref of = parse(fields[0]);
        if (of == null || byObject.containsKey(of)) continue;
        List<Ref> refs = new ArrayList<>();
        for (int i = 1; i < fields.length && count < MAX_REFERENCES; i++) {
          Ref r = parse(fields[i]);
          if (r != null) {
            refs.add(r);
            count++;
          }
        }
        if (!refs.isEmpty()) byObject.put(of, refs);
      }
    } catch (NoSuchFileException e) {
      // none yet
    } catch (IOException | RuntimeException e) {
      log.warn("cannot read object references from {}: {}; starting without them", file, e.toString());
      byObject.clear();
      count = 0;
    }
  }

  /** The references {@code of} carries (empty when none). */
  public synchronized List<Ref> get(Ref of) { return List.copyOf(byObject.getOrDefault(of, List.of())); }

  /** Replaces what {@code of} refers to; an empty list removes the entry. */
  public synchronized void set(Ref of, List<Ref> refs) throws IOException {
    List<Ref> old = byObject.get(of);
    int after = count - (old == null ? 0 : old.size()) + refs.size();
    if (after > MAX_REFERENCES) {
      throw new MtpOperationException(ResponseCode.STORE_FULL.value(),
          "the device keeps at most " + MAX_REFERENCES + " object references");
    }
    if (refs.isEmpty()) byObject.remove(of);
    else byObject.put(of, List.copyOf(refs));
    count = after;
    save();
  }

  /** An object (and everything below it, for a folder) now lives at {@code to}. */
  public synchronized void moved(Ref from, Ref to) {
    boolean changed = false;
    Map<Ref, List<Ref>> next = new LinkedHashMap<>();
    for (Map.Entry<Ref, List<Ref>> e : byObject.entrySet()) {
      Ref key = relocate(e.getKey(), from, to);
      List<Ref> refs = new ArrayList<>(e.getValue().size());
      for (Ref r : e.getValue()) refs.add(relocate(r, from, to));
      changed |= key != e.getKey() || !refs.equals(e.getValue());
      next.put(key, refs);
    }
    if (!changed) return;
    byObject.clear();
    byObject.putAll(next); // a key moved onto one that was kept before replaces it: recount
    count = 0;
    for (List<Ref> refs : byObject.values()) count += refs.size();
    saveQuietly();
  }

  /** An object (and everything below it) was deleted. */
  public synchronized void removed(Ref gone) {
    boolean changed = false;
    for (Iterator<Map.Entry<Ref, List<Ref>>> it = byObject.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Ref, List<Ref>> e = it.next();
      if (within(e.getKey(), gone)) {
        count -= e.getValue().size();
        it.remove();
        changed = true;
        continue;
      }
      int before = e.getValue().size();
      List<Ref> kept = new ArrayList<>(e.getValue());
      kept.removeIf(r -> within(r, gone));
      if (kept.size() != before) {
        count -= before - kept.size();
        changed = true;
        if (kept.isEmpty()) it.remove();
        else e.setValue(kept);
      }
    }
    if (changed) saveQuietly();
  }

  private static boolean within(Ref r, Ref folder) {
    return r.storageId() == folder.storageId() && r.path().startsWith(folder.path());
  }

  private static Ref relocate(Ref r, Ref from, Ref to) {
    if (!within(r, from)) return r;
    List<String> rest = r.path().names().subList(from.path().names().size(), r.path().names().size());
    try {
      ObjectPath p = to.path();
      for (String n : rest) p = p.child(n);
      return new Ref(to.storageId(), p);
    } catch (StorageException e) {
      return r;
    }
  }

  private void saveQuietly() {
    try {
      save();
    } catch (IOException e) {
      log.warn("cannot save object references to {}: {}", file, e.toString());
    }
  }

  private void save() throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (Map.Entry<Ref, List<Ref>> e : byObject.entrySet()) {
          w.write(format(e.getKey()));
          for (Ref r : e.getValue()) {
            w.write('\t');
            w.write(format(r));
          }
          w.write('\n');
        }
      }
      try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        c.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException ignored) {
        // directories cannot be fsynced everywhere
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String format(Ref r) {
    StringBuilder sb = new StringBuilder(Integer.toHexString(r.storageId())).append(':');
    for (String n : r.path().names()) sb.append('/').append(escape(n));
    return sb.toString();
  }

  private static Ref parse(String s) {
    int colon = s.indexOf(':');
    if (colon <= 0) return null;
    try {
      int id = Integer.parseUnsignedInt(s.substring(0, colon), 16);
      String rest = s.substring(colon + 1);
      ObjectPath p = ObjectPath.ROOT;
      if (!rest.isEmpty()) {
        if (rest.charAt(0) != '/') return null;
        for (String n : rest.substring(1).split("/", -1)) p = p.child(unescape(n));
      }
      return new Ref(id, p);
    } catch (RuntimeException | StorageException e) {
      return null;
    }
  }

  private static String escape(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%' || c == '\t' || c == '\n' || c == '\r') sb.append(String.format("%%%02X", (int) c));
      else sb.append(c);
    }
    return sb.toString();
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
