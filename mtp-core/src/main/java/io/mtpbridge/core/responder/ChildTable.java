package io.mtpbridge.core.responder;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The children of one listed folder, in parallel arrays instead of an object per child: a handle,
 * the name (UTF-8, in one byte array for the whole folder), the format, two fingerprints and a flag
 * byte, about 20 bytes plus the name per child. A storage of 1,000,000 files then fits a 64 MB heap with room
 * to spare; an object graph (node, name string, map entries, metadata) took about 300 bytes each.
 *
 * <p>Entries are kept in ascending handle order: handles only grow, so a new child is appended,
 * and a lookup by handle is a binary search. Removal marks an entry dead; dead entries and the
 * bytes of old names are dropped when they make up a quarter of the table. Lookups by name scan
 * the names (a folder's reconciliation compares slot by slot in listing order, and builds a map
 * only when the order differs).
 *
 * <p>The two fingerprints stand in for the metadata a node used to keep: {@code identity} (the
 * storage's persistent key and creation time) recognises an object renamed on the device;
 * {@code content} (16 bits each of size and modification time) tells which properties changed.
 *
 * <p>Not thread-safe: the {@link ObjectIndex} that owns it guards it.
 */
final class ChildTable {
  static final int FOLDER = 1;
  private static final int DEAD = 2;
  private static final int[] NO_INTS = new int[0];
  private static final byte[] NO_BYTES = new byte[0];

  private int[] handles = NO_INTS;
  private int[] nameStart = NO_INTS;
  private short[] nameLength = new short[0];
  private int[] identity = NO_INTS;
  private int[] content = NO_INTS;
  private short[] format = new short[0];
  private byte[] flags = NO_BYTES;
  private byte[] names = NO_BYTES;
  private int count;
  private int dead;
  private int namesUsed;
  private int namesGarbage;

  ChildTable() {}

  /** A table sized for {@code children} children whose names take about {@code nameBytes} bytes. */
  ChildTable(int children, int nameBytes) {
    ensureCapacity(children);
    names = new byte[Math.max(16, nameBytes)];
  }

  /** Live children. */
  int size() { return count - dead; }

  /** Slots in use, live or dead: iterate {@code 0..slots()} and skip {@code !isLive(i)}. */
  int slots() { return count; }

  boolean isLive(int i) { return (flags[i] & DEAD) == 0; }

  int handle(int i) { return handles[i]; }

  boolean isFolder(int i) { return (flags[i] & FOLDER) != 0; }

  int identity(int i) { return identity[i]; }

  int content(int i) { return content[i]; }

  void setContent(int i, int fingerprint) { content[i] = fingerprint; }

  void setIdentity(int i, int fingerprint) { identity[i] = fingerprint; }

  int format(int i) { return format[i] & 0xFFFF; }

  void setFormat(int i, int formatCode) { format[i] = (short) formatCode; }

  String name(int i) { return new String(names, nameStart[i], nameLength[i] & 0xFFFF, StandardCharsets.UTF_8); }

  /** The slot of the live child {@code handle}, or -1. */
  int indexOf(int handle) {
    int i = Arrays.binarySearch(handles, 0, count, handle);
    return i >= 0 && isLive(i) ? i : -1;
  }

  /** The slot of the live child named {@code name}, or -1. */
  int indexOfName(String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < count; i++) {
      if ((nameLength[i] & 0xFFFF) != b.length || !isLive(i)) continue;
      if (Arrays.equals(names, nameStart[i], nameStart[i] + b.length, b, 0, b.length)) return i;
    }
    return -1;
  }

  /**
   * True when the live or dead child in slot {@code i} is named {@code name}; compares without
   * decoding the stored bytes (a reconciliation asks this of every child of a folder).
   */
  boolean nameEquals(int i, String name) {
    int len = nameLength[i] & 0xFFFF;
    int n = name.length();
    if (n > len) return false; // UTF-8 takes at least one byte per UTF-16 unit
    int at = nameStart[i];
    for (int j = 0; j < n; j++) {
      char c = name.charAt(j);
      if (c >= 0x80) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return Arrays.equals(names, at, at + len, b, 0, b.length);
      }
      if (names[at + j] != c) return false;
    }
    return n == len;
  }

  /** Adds a child named as slot {@code i} of {@code from} is (its bytes copied, not encoded again). */
  int addNamedAs(ChildTable from, int i, int handle, boolean folder, int formatCode, int identityPrint, int contentPrint) {
    int len = from.nameLength[i] & 0xFFFF;
    if (count > 0 && handles[count - 1] >= handle) {
      return add(handle, from.name(i), folder, formatCode, identityPrint, contentPrint);
    }
    ensureCapacity(count + 1);
    int at = count++;
    handles[at] = handle;
    identity[at] = identityPrint;
    content[at] = contentPrint;
    format[at] = (short) formatCode;
    flags[at] = (byte) (folder ? FOLDER : 0);
    putName(at, from.names, from.nameStart[i], len);
    return at;
  }

  /** Adds a child; its handle must be new to this table. Returns its slot. */
  int add(int handle, String name, boolean folder, int formatCode, int identityPrint, int contentPrint) {
    byte[] b = encode(name);
    ensureCapacity(count + 1);
    int at = count;
    if (count > 0 && handles[count - 1] >= handle) {
      // an older handle moving in (MoveObject): keep the order
      at = -Arrays.binarySearch(handles, 0, count, handle) - 1;
      if (at < 0) throw new IllegalArgumentException("handle " + handle + " is already in this folder");
      shiftUp(at);
    }
    count++;
    handles[at] = handle;
    identity[at] = identityPrint;
    content[at] = contentPrint;
    format[at] = (short) formatCode;
    flags[at] = (byte) (folder ? FOLDER : 0);
    putName(at, b);
    return at;
  }

  /** Gives the child in slot {@code i} a new name. */
  void rename(int i, String name) {
    namesGarbage += nameLength[i] & 0xFFFF;
    putName(i, encode(name));
    compactIfWasteful();
  }

  /** Removes the child in slot {@code i}; slots of the others do not move until the next {@link #compactIfWasteful}. */
  void remove(int i) {
    if (!isLive(i)) return;
    flags[i] |= DEAD;
    dead++;
    namesGarbage += nameLength[i] & 0xFFFF;
  }

  /**
   * Drops dead entries and unused name bytes when they are a quarter of the table. Slots change:
   * callers that hold slot numbers must look them up again.
   */
  boolean compactIfWasteful() {
    if (dead * 4 <= count && namesGarbage * 4 <= namesUsed) return false;
    compact();
    return true;
  }

  private void compact() {
    int live = size();
    int[] h = new int[live];
    int[] ns = new int[live];
    short[] nl = new short[live];
    int[] id = new int[live];
    int[] ct = new int[live];
    short[] fm = new short[live];
    byte[] fl = new byte[live];
    byte[] nm = new byte[Math.max(16, namesUsed - namesGarbage)];
    int j = 0;
    int used = 0;
    for (int i = 0; i < count; i++) {
      if (!isLive(i)) continue;
      h[j] = handles[i];
      id[j] = identity[i];
      ct[j] = content[i];
      fm[j] = format[i];
      fl[j] = flags[i];
      int len = nameLength[i] & 0xFFFF;
      System.arraycopy(names, nameStart[i], nm, used, len);
      ns[j] = used;
      nl[j] = nameLength[i];
      used += len;
      j++;
    }
    handles = h;
    nameStart = ns;
    nameLength = nl;
    identity = id;
    content = ct;
    format = fm;
    flags = fl;
    names = nm;
    count = live;
    dead = 0;
    namesUsed = used;
    namesGarbage = 0;
  }

  /** Approximate bytes held, for the benchmarks and the tests of this class. */
  long footprint() {
    return 16L * 8 + 4L * handles.length * 4 + 2L * nameLength.length + 2L * format.length + flags.length + names.length;
  }

  private static byte[] encode(String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    if (b.length > 0xFFFF) throw new IllegalArgumentException("name of " + b.length + " bytes");
    return b;
  }

  private void putName(int i, byte[] b) { putName(i, b, 0, b.length); }

  private void putName(int i, byte[] b, int from, int length) {
    if (namesUsed + length > names.length) names = Arrays.copyOf(names, Math.max(64, Math.max(namesUsed + length, names.length + names.length / 2)));
    System.arraycopy(b, from, names, namesUsed, length);
    nameStart[i] = namesUsed;
    nameLength[i] = (short) length;
    namesUsed += length;
  }

  private void shiftUp(int at) {
    int n = count - at;
    System.arraycopy(handles, at, handles, at + 1, n);
    System.arraycopy(nameStart, at, nameStart, at + 1, n);
    System.arraycopy(nameLength, at, nameLength, at + 1, n);
    System.arraycopy(identity, at, identity, at + 1, n);
    System.arraycopy(content, at, content, at + 1, n);
    System.arraycopy(format, at, format, at + 1, n);
    System.arraycopy(flags, at, flags, at + 1, n);
  }

  private void ensureCapacity(int n) {
    if (n <= handles.length) return;
    int cap = handles.length == 0 ? n : Math.max(8, Math.max(n, handles.length + handles.length / 2));
    handles = Arrays.copyOf(handles, cap);
    nameStart = Arrays.copyOf(nameStart, cap);
    nameLength = Arrays.copyOf(nameLength, cap);
    identity = Arrays.copyOf(identity, cap);
    content = Arrays.copyOf(content, cap);
    format = Arrays.copyOf(format, cap);
    flags = Arrays.copyOf(flags, cap);
  }
}
