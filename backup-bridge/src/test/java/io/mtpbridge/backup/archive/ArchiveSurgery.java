package io.mtpbridge.backup.archive;

import io.mtpbridge.backup.format.Manifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Rewrites a real backup archive the way a careful attacker would: entries renamed or replaced,
 * and the manifest updated to match (sizes and SHA-256 right), so the archive passes verification
 * and what is tested is what the engine does with the content.
 */
public final class ArchiveSurgery {
  private ArchiveSurgery() {}

  /**
   * {@code rename} maps every entry name (and the manifest's stream and volume names) to a new one;
   * {@code replace} gives new content for entries (by their new name); {@code manifestJson}, when
   * not null, replaces the manifest text after all that (for hostile manifests).
   */
  public static byte[] rewrite(byte[] tar, UnaryOperator<String> rename, Map<String, byte[]> replace,
      UnaryOperator<String> manifestJson) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Manifest manifest = null;
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), StandardCharsets.UTF_8.name())) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        byte[] data = in.readAllBytes();
        if (e.getName().equals(Manifest.FILE_NAME)) manifest = Manifest.parse(new String(data, StandardCharsets.UTF_8));
        else entries.put(rename.apply(e.getName()), data);
      }
    }
    entries.putAll(replace);
    List<Manifest.Owner> owners = new ArrayList<>();
    for (Manifest.Owner o : manifest.owners()) {
      List<Manifest.Volume> vols = new ArrayList<>();
      for (Manifest.Volume v : o.volumes()) {
        List<Manifest.Stream> streams = new ArrayList<>();
        String volume = v.name();
        for (Manifest.Stream s : v.streams()) {
          String name = rename.apply(s.name());
          volume = name.split("/")[2];
          byte[] data = entries.get(name);
          streams.add(new Manifest.Stream(name, s.kind(), data.length, sha256(data), s.mtime()));
        }
        vols.add(new Manifest.Volume(volume, streams, v.checksum()));
      }
      owners.add(new Manifest.Owner(o.id(), o.kind(), o.status(), o.error(), vols));
    }
    Manifest m = new Manifest(manifest.format(), manifest.setId(), manifest.parent(), manifest.device(), manifest.created(),
        manifest.mode(), manifest.type(), owners);
    String json = m.toJson();
    if (manifestJson != null) json = manifestJson.apply(json);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) put(t, e.getKey(), e.getValue());
      put(t, Manifest.FILE_NAME, json.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** The same archive with one entry's content changed and the manifest left as it was (tampering). */
  public static byte[] tamper(byte[] tar, String entry, byte[] content) throws Exception {
    return copy(tar, entry, content, false);
  }

  /** The same archive without its manifest. */
  public static byte[] withoutManifest(byte[] tar) throws Exception {
    return copy(tar, null, null, true);
  }

  private static byte[] copy(byte[] tar, String entry, byte[] content, boolean dropManifest) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), StandardCharsets.UTF_8.name());
         TarArchiveOutputStream t = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        byte[] data = in.readAllBytes();
        if (dropManifest && e.getName().equals(Manifest.FILE_NAME)) continue;
        put(t, e.getName(), e.getName().equals(entry) ? content : data);
      }
    }
    return out.toByteArray();
  }

  private static void put(TarArchiveOutputStream t, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(data.length);
    t.putArchiveEntry(e);
    t.write(data);
    t.closeArchiveEntry();
  }

  public static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
