package io.mtpbridge.host.files;

import io.mtpbridge.core.code.AssociationType;
import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.DateTimeString;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.PtpString;
import io.mtpbridge.core.dataset.StorageInfo;
import io.mtpbridge.host.Cancellation;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.host.MtpResponseException;
import io.mtpbridge.host.Transaction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The device's storages as a file tree: paths {@code /<storage description>/<path>} (the way
 * go-mtpfs and file managers show storages), listing, and copies both ways that keep
 * DateModified and never leave half a file: a download goes to a hidden temporary file next to
 * its target and is renamed into place only when complete; an upload that fails is removed from
 * the device, and one that replaces a file is sent under a temporary name first.
 */
public final class RemoteFiles {
  /** A storage of the device and the name its path starts with. */
  public record Storage(int id, String name, StorageInfo info) {}

  private final MtpInitiator mtp;
  private final Cancellation cancellation;
  private final ZoneId zone;
  private List<Storage> storages;

  public RemoteFiles(MtpInitiator mtp, Cancellation cancellation, ZoneId zone) {
    this.mtp = mtp;
    this.cancellation = cancellation;
    this.zone = zone;
  }

  public MtpInitiator initiator() { return mtp; }

  /** The storages, in the device's order; a description given twice gets " (2)", " (3)". */
  public List<Storage> storages() throws IOException {
    if (storages == null) {
      List<Storage> list = new ArrayList<>();
      for (int id : mtp.getStorageIds()) {
        StorageInfo info = mtp.storageInfo(id);
        String base = info.storageDescription() == null || info.storageDescription().isBlank()
            ? String.format("Storage-%08X", id) : info.storageDescription().replace('/', '_');
        String name = base;
        for (int n = 2; taken(list, name); n++) name = base + " (" + n + ")";
        list.add(new Storage(id, name, info));
      }
      storages = List.copyOf(list);
    }
    return storages;
  }

  private static boolean taken(List<Storage> list, String name) {
    return list.stream().anyMatch(s -> s.name().equals(name));
  }

  public RemoteEntry root(Storage s) {
    return new RemoteEntry(s.id(), RemoteEntry.ROOT, s.name(), true, 0, null, "/" + s.name());
  }

  /** The path's segments; "" or "/" has none. {@code .} and {@code ..} are refused. */
  public static List<String> segments(String path) throws IOException {
    List<String> out = new ArrayList<>();
    for (String seg : path.split("/")) {
      if (seg.isEmpty()) continue;
      if (seg.equals(".") || seg.equals("..")) throw new RemoteNotFoundException("remote path " + path + ": write it without . or .. (e.g. /Internal/Music)");
      out.add(seg);
    }
    return out;
  }

  /** What {@code path} names, or empty; {@code /} itself names no entry (it lists the storages). */
  public Optional<RemoteEntry> find(String path) throws IOException {
    List<String> segs = segments(path);
    if (segs.isEmpty()) return Optional.empty();
    Storage storage = storages().stream().filter(s -> s.name().equals(segs.get(0))).findFirst().orElse(null);
    if (storage == null) return Optional.empty();
    RemoteEntry e = root(storage);
    for (String seg : segs.subList(1, segs.size())) {
      if (!e.folder()) return Optional.empty();
      e = child(e, seg).orElse(null);
      if (e == null) return Optional.empty();
    }
    return Optional.of(e);
  }

  /** What {@code path} names, or a {@link RemoteNotFoundException} saying which part is missing. */
  public RemoteEntry resolve(String path) throws IOException {
    Optional<RemoteEntry> e = find(path);
    if (e.isPresent()) return e.get();
    List<String> segs = segments(path);
    if (segs.isEmpty()) throw new RemoteNotFoundException("/ lists the storages and is no folder: name a storage, e.g. /" + firstStorageName());
    if (storages().stream().noneMatch(s -> s.name().equals(segs.get(0)))) {
      throw new RemoteNotFoundException("the device has no storage \"" + segs.get(0) + "\": its storages are " + storageNames()
          + " (see mtpbridge ls /)");
    }
    throw new RemoteNotFoundException(path + " does not exist on the device (see mtpbridge ls " + parentPath(path) + ")");
  }

  private String firstStorageName() throws IOException {
    return storages().isEmpty() ? "Internal" : storages().get(0).name();
  }

  private String storageNames() throws IOException {
    List<String> names = new ArrayList<>();
    for (Storage s : storages()) names.add("/" + s.name());
    return String.join(", ", names);
  }

  /** The parent path of a remote path ("/" for a storage). */
  public static String parentPath(String path) throws IOException {
    List<String> segs = segments(path);
    if (segs.size() <= 1) return "/";
    return "/" + String.join("/", segs.subList(0, segs.size() - 1));
  }

  /** The last segment of a remote path. */
  public static String lastName(String path) throws IOException {
    List<String> segs = segments(path);
    return segs.isEmpty() ? "" : segs.get(segs.size() - 1);
  }

  public Optional<RemoteEntry> child(RemoteEntry folder, String name) throws IOException {
    for (RemoteEntry c : children(folder)) if (c.name().equals(name)) return Optional.of(c);
    return Optional.empty();
  }

  /** A folder's entries, sorted by name (one folder at a time is held, never a whole tree). */
  public List<RemoteEntry> children(RemoteEntry folder) throws IOException {
    if (!folder.folder()) throw new IOException(folder.path() + " is a file, not a folder");
    int[] handles = mtp.getObjectHandles(folder.storageId(), 0, folder.handle());
    List<RemoteEntry> out = new ArrayList<>(handles.length);
    for (int h : handles) {
      cancellation.check();
      out.add(entry(h, folder.path()));
    }
    out.sort(Comparator.comparing(RemoteEntry::name));
    return out;
  }

  private RemoteEntry entry(int handle, String parentPath) throws IOException {
    ObjectInfo info = mtp.objectInfo(handle);
    boolean folder = ObjectFormat.isAssociation(info.objectFormat());
    long size = folder ? 0 : info.sizeExceeds32Bits() ? size64(handle) : info.objectCompressedSize();
    Instant modified = DateTimeString.tryParse(info.dateModified()).map(d -> d.toInstant(zone)).orElse(null);
    String name = info.filename();
    return new RemoteEntry(info.storageId(), handle, name, folder, size, modified, parentPath + "/" + name);
  }

  /** ObjectSize as UINT64, for objects of 4 GiB and more; -1 (unknown) from a device without it (a PTP camera). */
  private long size64(int handle) throws IOException {
    byte[] v;
    try {
      v = mtp.getObjectPropValue(handle, ObjectPropertyCode.OBJECT_SIZE.value());
    } catch (MtpResponseException refused) {
      return -1;
    }
    if (v.length < 8) return -1;
    return ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  // ---- copies -----------------------------------------------------------------------------

  /**
   * Copies a remote file to {@code target} (a file path whose folder exists): into a hidden
   * temporary file beside it, with DateModified as its mtime, then renamed over {@code target}.
   * On any failure or cancel nothing is left but what was at {@code target} before. Returns the
   * bytes copied; a device that sends more than it announced is stopped there (it would fill the
   * disk before the sizes could be compared).
   */
  public long download(RemoteEntry file, Path target, TransferProgress progress) throws IOException {
    if (file.folder()) throw new IOException(file.path() + " is a folder");
    Path dir = target.toAbsolutePath().getParent();
    Path temp = temporarySibling(dir, target.getFileName().toString());
    progress.start(file.path(), file.size());
    long n;
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
        Transaction t = mtp.begin(OperationCode.GET_OBJECT.value(), file.handle());
        try (Cancellation.Registration r = cancellation.onCancel(t::requestCancel)) {
          n = t.receiveData(new Counting(out, progress, target, file));
        }
        if (n < 0) t.expectOk();
        t.expectOk();
        if (file.size() >= 0 && n != file.size()) {
          throw new IOException(file.path() + ": the device sent " + n + " bytes of " + file.size() + "; nothing was saved");
        }
      }
      if (file.modified() != null) Files.setLastModifiedTime(temp, FileTime.from(file.modified()));
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    } finally {
      progress.end();
    }
    return n;
  }

  /**
   * Copies a local file into {@code folder} as {@code name}, with its mtime as DateModified. A
   * file of that name is replaced only after the new one arrived completely; a failed upload is
   * deleted from the device.
   */
  public RemoteEntry upload(Path local, RemoteEntry folder, String name, TransferProgress progress) throws IOException {
    if (!folder.folder()) throw new IOException(folder.path() + " is a file, not a folder");
    checkSendable(name, local);
    Optional<RemoteEntry> existing = child(folder, name);
    if (existing.isPresent() && existing.get().folder()) {
      throw new IOException(existing.get().path() + " is a folder: give another name or remove it first (mtpbridge rm -r)");
    }
    long size = Files.size(local);
    Instant mtime = Files.getLastModifiedTime(local).toInstant();
    String sendName = existing.isPresent() ? PartName.of(name, randomTag()) : name;
    String date = DateTimeString.local(mtime, zone).format();
    ObjectInfo info = ObjectInfo.builder().storageId(folder.storageId()).objectFormat(ObjectFormat.UNDEFINED.value()).size(size)
        .parentObject(folder.handle()).filename(sendName).dateCreated(date).dateModified(date).build();
    int[] placed = mtp.sendObjectInfo(folder.storageId(), folder.handle(), info);
    int handle = placed[2];
    progress.start(folder.path() + "/" + name, size);
    try (FileChannel in = FileChannel.open(local, StandardOpenOption.READ)) {
      Transaction t = mtp.begin(OperationCode.SEND_OBJECT.value());
      try (Cancellation.Registration r = cancellation.onCancel(t::requestCancel)) {
        t.sendData(new CountingIn(in, progress, local), size);
      }
      t.expectOk();
    } catch (IOException | RuntimeException e) {
      deleteQuietly(handle);
      throw e;
    } finally {
      progress.end();
    }
    if (existing.isPresent()) replace(existing.get(), handle, name);
    return new RemoteEntry(folder.storageId(), handle, name, false, size, mtime, folder.path() + "/" + name);
  }

  /**
   * Gives the complete upload {@code fresh} (sent under a part name) the name of {@code old}. The
   * old file steps aside by a rename first: a device that cannot rename (a camera, an old player)
   * refuses there, before anything is lost. Deleting it first lost it, and the rename that then
   * failed left the new copy under its hidden name.
   */
  private void replace(RemoteEntry old, int fresh, String name) throws IOException {
    String aside = PartName.of(name, "old" + randomTag());
    try {
      renameHandle(old.handle(), aside);
    } catch (IOException e) {
      deleteQuietly(fresh);
      throw new IOException(old.path() + " exists and the device would not rename it (" + e.getMessage() + "), so it"
          + " cannot be replaced safely; it was left as it was: remove it first (mtpbridge rm " + old.path() + ") and copy again", e);
    }
    try {
      renameHandle(fresh, name);
    } catch (IOException e) {
      String kept = "the old file was kept";
      try {
        renameHandle(old.handle(), name);
      } catch (IOException | RuntimeException again) {
        kept = "the old file is on the device as " + aside + " (rename it back with mtpbridge mv)";
      }
      deleteQuietly(fresh);
      throw new IOException(old.path() + ": the device would not give the new copy its name (" + e.getMessage() + "); "
          + kept + ": remove it first (mtpbridge rm " + old.path() + ") and copy again", e);
    }
    mtp.deleteObject(old.handle());
  }

  /** A new folder {@code name} in {@code parent}. */
  public RemoteEntry mkdir(RemoteEntry parent, String name) throws IOException {
    if (!parent.folder()) throw new IOException(parent.path() + " is a file, not a folder");
    checkSendable(name, parent.path() + "/" + name);
    ObjectInfo info = ObjectInfo.builder().storageId(parent.storageId()).objectFormat(ObjectFormat.ASSOCIATION.value())
        .associationType(AssociationType.GENERIC_FOLDER.value()).parentObject(parent.handle()).filename(name).build();
    int[] placed = mtp.sendObjectInfo(parent.storageId(), parent.handle(), info);
    return new RemoteEntry(parent.storageId(), placed[2], name, true, 0, null, parent.path() + "/" + name);
  }

  /** Deletes a file, or a folder with everything in it (the device deletes the contents). */
  public void delete(RemoteEntry e) throws IOException {
    if (e.isStorageRoot()) throw new IOException(e.path() + " is a storage; remove what is in it instead");
    mtp.deleteObject(e.handle());
  }

  /** Moves {@code e} into {@code folder} (another storage too), keeping its name. */
  public void move(RemoteEntry e, RemoteEntry folder) throws IOException {
    mtp.moveObject(e.handle(), folder.storageId(), folder.isStorageRoot() ? 0 : folder.handle());
  }

  /**
   * Sets {@code e}'s DateModified (a folder's, once its contents arrived: adding them changed it);
   * false when the device does not let hosts set it, which costs the date and nothing else.
   */
  public boolean setModified(RemoteEntry e, Instant when) throws IOException {
    try {
      mtp.setObjectPropValue(e.handle(), ObjectPropertyCode.DATE_MODIFIED.value(),
          MtpInitiator.ptpString(DateTimeString.local(when, zone).format()));
      return true;
    } catch (MtpResponseException x) {
      int code = x.responseCode();
      if (code == ResponseCode.OPERATION_NOT_SUPPORTED.value() || code == ResponseCode.INVALID_OBJECT_PROP_CODE.value()
          || code == ResponseCode.ACCESS_DENIED.value() || code == ResponseCode.OBJECT_WRITE_PROTECTED.value()) {
        return false;
      }
      throw x;
    }
  }

  /** Renames {@code e} in place (ObjectFileName). */
  public void rename(RemoteEntry e, String name) throws IOException {
    renameHandle(e.handle(), name);
  }

  private void renameHandle(int handle, String name) throws IOException {
    mtp.setObjectPropValue(handle, ObjectPropertyCode.OBJECT_FILE_NAME.value(), MtpInitiator.ptpString(name));
  }

  private void deleteQuietly(int handle) {
    try {
      mtp.deleteObject(handle);
    } catch (MtpResponseException e) {
      // the device already dropped the partial object (InvalidObjectHandle), which is what we want
      if (e.responseCode() != ResponseCode.INVALID_OBJECT_HANDLE.value()) return;
    } catch (IOException | RuntimeException e) {
      // the link is gone; a device discards an unfinished upload itself
    }
  }

  /** A hidden file next to {@code name} in {@code dir} that did not exist. */
  static Path temporarySibling(Path dir, String name) throws IOException {
    for (int i = 0; i < 100; i++) {
      Path p = dir.resolve(PartName.of(name, randomTag()));
      if (!Files.exists(p)) return p;
    }
    throw new FileAlreadyExistsException(dir.resolve(name).toString());
  }

  private static String randomTag() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFL);
  }

  /**
   * Refuses a name the device could not be sent: MTP names are at
   * most 254 UTF-16 units, without NUL or a lone surrogate, and no path separator.
   */
  public static void checkSendable(String name, Object where) throws IOException {
    String problem = null;
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0) problem = "is not a file name";
    else if (name.length() > PtpString.MAX_CHARS) problem = "has " + name.length() + " characters; MTP names hold at most " + PtpString.MAX_CHARS;
    else if (!PtpString.isEncodable(name)) problem = "holds a character MTP cannot carry";
    if (problem != null) throw new IOException(where + ": the name " + problem + "; rename it first");
  }

  /**
   * Counts bytes into a progress listener on their way to the file; a failure names the file.
   * Stops a device that sends more than {@code file}'s announced size.
   */
  private static final class Counting implements WritableByteChannel {
    private final WritableByteChannel out;
    private final TransferProgress progress;
    private final Path target;
    private final RemoteEntry file;
    private long written;

    Counting(WritableByteChannel out, TransferProgress progress, Path target, RemoteEntry file) {
      this.out = out;
      this.progress = progress;
      this.target = target;
      this.file = file;
    }

    @Override public int write(ByteBuffer src) throws IOException {
      if (file.size() >= 0 && written + src.remaining() > file.size()) {
        throw new IOException(file.path() + ": the device sent more than the " + file.size() + " bytes it announced;"
            + " the copy was stopped and nothing was saved (a fault of the device: list it again, or report it to its maker)");
      }
      int total = 0;
      try {
        while (src.hasRemaining()) total += out.write(src);
      } catch (IOException e) {
        throw new IOException("cannot write " + target + ": " + e.getMessage() + " (nothing partial was kept)", e);
      }
      written += total;
      progress.advance(total);
      return total;
    }

    @Override public boolean isOpen() { return out.isOpen(); }

    @Override public void close() throws IOException { out.close(); }
  }

  private record CountingIn(ReadableByteChannel in, TransferProgress progress, Path source) implements ReadableByteChannel {
    @Override public int read(ByteBuffer dst) throws IOException {
      int n;
      try {
        n = in.read(dst);
      } catch (IOException e) {
        throw new IOException("cannot read " + source + ": " + e.getMessage() + " (the device discarded the partial copy)", e);
      }
      if (n > 0) progress.advance(n);
      return n;
    }

    @Override public boolean isOpen() { return in.isOpen(); }

    @Override public void close() throws IOException { in.close(); }
  }
}
