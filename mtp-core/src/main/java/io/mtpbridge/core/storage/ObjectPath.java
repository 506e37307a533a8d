package io.mtpbridge.core.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where an object lives inside its storage: the names from the storage root down, every one
 * checked by {@link ObjectNames}. This is the storage-local identity the SPI speaks in; the
 * responder maps it to session handles (and re-keys its handles when the host renames or moves).
 * The root folder itself is {@link #ROOT}, an empty path.
 */
public final class ObjectPath {
  public static final ObjectPath ROOT = new ObjectPath(List.of());

  private final List<String> names;

  private ObjectPath(List<String> names) { this.names = names; }

  /** A path from already-split names; each name is validated. */
  public static ObjectPath of(String... names) throws StorageException {
    ObjectPath p = ROOT;
    for (String n : names) p = p.child(n);
    return p;
  }

  /** Parses "a/b/c" or "/a/b/c" (empty segments are not allowed except a leading slash). */
  public static ObjectPath parse(String path) throws StorageException {
    String s = path.startsWith("/") ? path.substring(1) : path;
    if (s.isEmpty()) return ROOT;
    return of(s.split("/", -1));
  }

  public ObjectPath child(String name) throws StorageException {
    ObjectNames.validate(name);
    List<String> n = new ArrayList<>(names.size() + 1);
    n.addAll(names);
    n.add(name);
    return new ObjectPath(Collections.unmodifiableList(n));
  }

  /** The containing folder; the root's parent is the root. */
  public ObjectPath parent() { return names.isEmpty() ? this : new ObjectPath(names.subList(0, names.size() - 1)); }

  /** The last name, or "" for the root. */
  public String name() { return names.isEmpty() ? "" : names.get(names.size() - 1); }

  public boolean isRoot() { return names.isEmpty(); }
  public int depth() { return names.size(); }
  public List<String> names() { return names; }

  /** True when this path is {@code ancestor} or lies below it. */
  public boolean startsWith(ObjectPath ancestor) {
    return ancestor.names.size() <= names.size() && names.subList(0, ancestor.names.size()).equals(ancestor.names);
  }

  @Override public boolean equals(Object o) { return o instanceof ObjectPath p && p.names.equals(names); }
  @Override public int hashCode() { return names.hashCode(); }
  @Override public String toString() { return "/" + String.join("/", names); }
}
