package io.mtpbridge.backup.archive;

import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.format.EntryName;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
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
  /** Longest line (bytes): a path of at most 4096 bytes, url-encoded, and two numbers. */
  public static final int MAX_LINE = 16 * 1024;
  /** Most files one snapshot lists: it is held in memory while a backup compares against it. */
  public static final int MAX_ENTRIES = 100_000;
  /** Largest snapshot accepted (bytes). */
  public static final long MAX_BYTES = 16L << 20;

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

  /**
   * Reads a snapshot, bounded before anything is held: a line longer than {@link #MAX_LINE} bytes,
   * more than {@link #MAX_ENTRIES} lines or {@link #MAX_BYTES} in all is refused as soon as it is
   * seen, and every malformed field (a number out of range included) is an IOException naming the
   * line, never an unchecked exception.
   */
  public static FileSnapshot read(InputStream in) throws IOException {
    LineReader r = new LineReader(in);
    String header = r.next();
    if (!HEADER.equals(header)) throw new IOException("files.snapshot: bad header");
    FileSnapshot s = new FileSnapshot();
    String line;
    while ((line = r.next()) != null) {
      int n = r.lineNumber;
      if (n > MAX_ENTRIES + 1) throw new IOException("files.snapshot: more than " + MAX_ENTRIES + " files");
      String[] f = line.split(" ", -1);
      if (f.length != 3 || !f[0].matches("[0-9]{1,19}") || !f[1].matches("-?[0-9]{1,19}")) {
        throw new IOException("files.snapshot line " + n + ": expected '<size> <mtime> <path>'");
      }
      String path;
      long size, mtime;
      try {
        size = Long.parseLong(f[0]);
        mtime = Long.parseLong(f[1]);
      } catch (NumberFormatException e) {
        throw new IOException("files.snapshot line " + n + ": number out of range");
      }
      try {
        path = URLDecoder.decode(f[2], StandardCharsets.UTF_8);
        EntryName.parse("owners/x/v/files/" + path);
      } catch (IllegalArgumentException | ArchiveException e) {
        throw new IOException("files.snapshot line " + n + ": bad path");
      }
      s.put(path, size, mtime);
    }
    return s;
  }

  /** Strict UTF-8 lines of at most {@link #MAX_LINE} bytes, {@link #MAX_BYTES} in all. */
  private static final class LineReader {
    private final InputStream in;
    private final byte[] line = new byte[MAX_LINE];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private long total;
    int lineNumber;

    LineReader(InputStream in) { this.in = new BufferedInputStream(in, 64 * 1024); }

    String next() throws IOException {
      int len = 0;
      while (true) {
        int b = in.read();
        if (b < 0) {
          if (len == 0) return null;
          break;
        }
        if (++total > MAX_BYTES) throw new IOException("files.snapshot: larger than " + MAX_BYTES + " bytes");
        if (b == '\n') break;
        if (len == MAX_LINE) throw new IOException("files.snapshot line " + (lineNumber + 1) + ": too long");
        line[len++] = (byte) b;
      }
      lineNumber++;
      try {
        return utf8.decode(ByteBuffer.wrap(line, 0, len)).toString();
      } catch (CharacterCodingException e) {
        throw new IOException("files.snapshot line " + lineNumber + ": not UTF-8");
      }
    }
  }
}
