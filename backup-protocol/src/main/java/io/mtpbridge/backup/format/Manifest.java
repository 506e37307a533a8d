package io.mtpbridge.backup.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * manifest.json: what a backup set holds and the size and SHA-256 of every stream in it.
 * {@code type} is "base" or "increment"; an increment names its {@code parent} set.
 */
public record Manifest(int format, String setId, String parent, String device, String created, String mode,
    String type, List<Owner> owners) {
  public static final int FORMAT = 1;
  public static final String FILE_NAME = "manifest.json";
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public Manifest {
    owners = List.copyOf(owners);
  }

  public boolean isIncrement() { return type.equals("increment"); }

  /** One owner's part: kind "active" or "passive", status "ok" / "failed" / "not-connected". */
  public record Owner(String id, String kind, String status, String error, List<Volume> volumes) {
    public Owner { volumes = List.copyOf(volumes); }

    public boolean ok() { return status.equals("ok"); }
  }

  /**
   * One volume of an owner. {@code checksum} is the active owner's getDataChecksum() taken right
   * after its backup (null for passive owners, whose files the engine hashes itself); a restore
   * compares the owner's checksum after restoreComplete with it.
   */
  public record Volume(String name, List<Stream> streams, Long checksum) {
    public Volume { streams = List.copyOf(streams); }

    public Volume(String name, List<Stream> streams) { this(name, streams, null); }
  }

  /** A tar entry: its full name, kind (see {@link EntryName}), size, hash and, for files, mtime in ms. */
  public record Stream(String name, String kind, long size, String sha256, long mtime) {}

  public List<Stream> allStreams() {
    List<Stream> all = new ArrayList<>();
    for (Owner o : owners) for (Volume v : o.volumes()) all.addAll(v.streams());
    return all;
  }

  public String toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", (long) format);
    root.put("setId", setId);
    root.put("parent", parent);
    root.put("device", device);
    root.put("created", created);
    root.put("mode", mode);
    root.put("type", type);
    List<Object> os = new ArrayList<>();
    for (Owner o : owners) {
      Map<String, Object> om = new LinkedHashMap<>();
      om.put("id", o.id());
      om.put("kind", o.kind());
      om.put("status", o.status());
      om.put("error", o.error());
      List<Object> vs = new ArrayList<>();
      for (Volume v : o.volumes()) {
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("name", v.name());
        if (v.checksum() != null) vm.put("checksum", v.checksum());
        List<Object> ss = new ArrayList<>();
        for (Stream s : v.streams()) {
          Map<String, Object> sm = new LinkedHashMap<>();
          sm.put("name", s.name());
          sm.put("kind", s.kind());
          sm.put("size", s.size());
          sm.put("sha256", s.sha256());
          sm.put("mtime", s.mtime());
          ss.add(sm);
        }
        vm.put("streams", ss);
        vs.add(vm);
      }
      om.put("volumes", vs);
      os.add(om);
    }
    root.put("owners", os);
    return Json.write(root);
  }

  /** Parses and checks a manifest; every problem is reported as an {@link ArchiveException}. */
  public static Manifest parse(String json) throws ArchiveException {
    try {
      Map<String, Object> root = obj(Json.read(json), "manifest");
      long format = num(root, "format");
      if (format != FORMAT) throw new ArchiveException(FILE_NAME, "format " + format + " is not supported (expected " + FORMAT + ")");
      String type = str(root, "type", false);
      if (!type.equals("base") && !type.equals("increment")) throw bad("type must be base or increment");
      List<Owner> owners = new ArrayList<>();
      for (Object o : list(root, "owners")) {
        Map<String, Object> om = obj(o, "owner");
        String kind = str(om, "kind", false);
        if (!kind.equals("active") && !kind.equals("passive")) throw bad("owner kind must be active or passive");
        List<Volume> volumes = new ArrayList<>();
        for (Object v : list(om, "volumes")) {
          Map<String, Object> vm = obj(v, "volume");
          List<Stream> streams = new ArrayList<>();
          for (Object s : list(vm, "streams")) {
            Map<String, Object> sm = obj(s, "stream");
            String hash = str(sm, "sha256", false);
            if (!HEX64.matcher(hash).matches()) throw bad("sha256 must be 64 lowercase hex digits");
            long size = num(sm, "size");
            if (size < 0) throw bad("negative stream size");
            streams.add(new Stream(str(sm, "name", false), str(sm, "kind", false), size, hash, num(sm, "mtime")));
          }
          Object sum = vm.get("checksum");
          if (sum != null && !(sum instanceof Long)) throw bad("\"checksum\" must be an integer");
          volumes.add(new Volume(str(vm, "name", false), streams, (Long) sum));
        }
        owners.add(new Owner(str(om, "id", false), kind, str(om, "status", false), str(om, "error", true), volumes));
      }
      return new Manifest((int) format, str(root, "setId", false), str(root, "parent", true), str(root, "device", false),
          str(root, "created", false), str(root, "mode", false), type, owners);
    } catch (Json.JsonException e) {
      throw bad("not valid JSON: " + e.getMessage());
    }
  }

  private static ArchiveException bad(String why) { return new ArchiveException(FILE_NAME, why); }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> obj(Object o, String what) throws ArchiveException {
    if (!(o instanceof Map)) throw bad(what + " must be an object");
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> m, String key) throws ArchiveException {
    Object v = m.get(key);
    if (!(v instanceof List)) throw bad("\"" + key + "\" must be an array");
    return (List<Object>) v;
  }

  private static long num(Map<String, Object> m, String key) throws ArchiveException {
    Object v = m.get(key);
    if (!(v instanceof Long)) throw bad("\"" + key + "\" must be an integer");
    return (Long) v;
  }

  private static String str(Map<String, Object> m, String key, boolean nullable) throws ArchiveException {
    Object v = m.get(key);
    if (v == null && nullable && m.containsKey(key)) return null;
    if (!(v instanceof String)) throw bad("\"" + key + "\" must be a string");
    return (String) v;
  }
}
