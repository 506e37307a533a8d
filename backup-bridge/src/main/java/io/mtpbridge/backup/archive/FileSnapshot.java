package io.mtpbridge.backup.archive;

import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.format.EntryName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A passive owner's snapshot of one volume: every file's relative path, size and mtime (ms). The
 * next increment takes the files that are new or differ; a restore removes files the latest
 * snapshot does not list, which is how deletions travel. Text format, one file a line:
 * {@code <size> <mtime> <url-encoded path>} after a {@code mtpbridge-files-snapshot 1} header.
 */
public final class FileSnapshot {
  private static final String HEADER = "mtpbridge-files-snapshot 1";
  private static final int MAX_LINE = 8192;

  public record Entry(long size, long mtime) {}

  private final TreeMap<String, Entry> entries = new TreeMap<>();

  public void put(String path, long size, long mtime) { entries.put(path, new Entry(size, mtime)); }

  public Entry get(String path) { return entries.get(path); }

  public boolean contains(String path) { return entries.containsKey(path); }

  public Map<String, Entry> entries() { return Collections.unmodifiableMap(entries); }

  /** True when {@code path} is new or changed compared with this (older) snapshot. */
  public boolean changed(String path, long size, long mtime) {
    Entry e = entries.get(path);
    return e == null || e.size() != size || e.mtime() != mtime;
  }

  public void writeTo(OutputStream out) throws IOException {
    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    w.write(HEADER);
    w.write('\n');
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      w.write(e.getValue().size() + " " + e.getValue().mtime() + " " + URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "\n");
    }
    w.flush();
  }

  public static FileSnapshot read(InputStream in) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
    String header = r.readLine();
    if (!HEADER.equals(header)) throw new IOException("files.snapshot: bad header");
    FileSnapshot s = new FileSnapshot();
    String line;
    int n = 1;
    while ((line = r.readLine()) != null) {
      n++;
      if (line.length() > MAX_LINE) throw new IOException("files.snapshot line " + n + ": too long");
      String[] f = line.split(" ", -1);
      if (f.length != 3 || !f[0].matches("[0-9]{1,19}") || !f[1].matches("-?[0-9]{1,19}")) {
        throw new IOException("files.snapshot line " + n + ": expected '<size> <mtime> <path>'");
      }
      String path;
      try {
        path = URLDecoder.decode(f[2], StandardCharsets.UTF_8);
        EntryName.parse("owners/x/v/files/" + path);
      } catch (IllegalArgumentException | ArchiveException e) {
        throw new IOException("files.snapshot line " + n + ": bad path");
      }
      s.put(path, Long.parseLong(f[0]), Long.parseLong(f[1]));
    }
    return s;
  }
}
