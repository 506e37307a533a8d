package io.mtpbridge.backup.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * manifest.json: what a backup set holds and the size and SHA-256 of every stream in it.
 * {@code type} is "base" or "increment"; an increment names its {@code parent} set.
 *
 * <p>A manifest arrives from the host and is untrusted until verified, so it is read with
 * jackson-core's streaming parser under read constraints (document size, token count, nesting,
 * string and number lengths) straight into these records, never into a tree of generic nodes:
 * a small archive whose manifest holds millions of tiny JSON values is refused before it costs
 * more than {@link #MAX_BYTES} of input and {@link #MAX_STREAMS} records.
 */
public record Manifest(int format, String setId, String parent, String device, String created, String mode,
    String type, List<Owner> owners) {
  public static final int FORMAT = 1;
  public static final String FILE_NAME = "manifest.json";
  /** The largest manifest.json accepted (bytes). */
  public static final int MAX_BYTES = 16 * 1024 * 1024;
  /**
   * At most this many streams (tar entries) in one backup set: the manifest's records are held in
   * memory while a set is written or verified, which must fit in a small heap (mtpd runs at
   * -Xmx64m). A backup that would pass it fails the owner that does, with this limit in its error.
   */
  public static final int MAX_STREAMS = 50_000;
  /**
   * At most this many characters of stream names in one backup set, all streams together. A reader
   * holds every name until the manifest has been checked, and an entry name may be 4096 characters
   * long: 50,000 of those held 200 MB, which a hostile archive of empty entries (260 MB of headers)
   * used to exhaust mtpd's 64 MiB heap. 8 Mi characters leave an average of 167 per stream at
   * {@link #MAX_STREAMS}; a backup that would pass it fails the owner that does, with this limit in
   * its error.
   */
  public static final int MAX_NAME_CHARS = 8 << 20;
  /** At most this many owners in one set, and volumes per owner. */
  public static final int MAX_OWNERS = 4096, MAX_VOLUMES = 64;
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxDocumentLength(MAX_BYTES)
          .maxTokenCount(16L * MAX_STREAMS + 16L * MAX_OWNERS + 64)
          .maxNestingDepth(8)
          .maxStringLength(64 * 1024)
          .maxNameLength(64)
          .maxNumberLength(24)
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
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

  /**
   * What a listing of many sets keeps of each: the manifest without its volumes and streams, and
   * how many streams it lists. A set's whole manifest may hold {@link #MAX_STREAMS} records (tens
   * of MB of heap): a list of sets holds this instead, and reads the whole manifest again for the
   * one set it verifies or restores.
   */
  public record Summary(String setId, String parent, String device, String created, String mode, String type,
      List<OwnerState> owners, int streams) {
    public Summary {
      owners = List.copyOf(owners);
    }

    /** The summary of a whole manifest (equal to what {@link Manifest#summary} reads from its JSON). */
    public static Summary of(Manifest m) {
      int streams = 0;
      for (Owner o : m.owners()) for (Volume v : o.volumes()) streams += v.streams().size();
      return of(m, streams);
    }

    private static Summary of(Manifest m, int streams) {
      List<OwnerState> owners = new ArrayList<>(m.owners().size());
      for (Owner o : m.owners()) owners.add(new OwnerState(o.id(), o.kind(), o.status(), o.error()));
      return new Summary(m.setId(), m.parent(), m.device(), m.created(), m.mode(), m.type(), owners, streams);
    }

    public boolean isIncrement() { return type.equals("increment"); }
  }

  /** An owner as a {@link Summary} holds it: everything but its volumes. */
  public record OwnerState(String id, String kind, String status, String error) {
    public boolean ok() { return status.equals("ok"); }
  }

  public List<Stream> allStreams() {
    List<Stream> all = new ArrayList<>();
    for (Owner o : owners) for (Volume v : o.volumes()) all.addAll(v.streams());
    return all;
  }

  public String toJson() {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeNumberField("format", format);
      g.writeStringField("setId", setId);
      g.writeStringField("parent", parent);
      g.writeStringField("device", device);
      g.writeStringField("created", created);
      g.writeStringField("mode", mode);
      g.writeStringField("type", type);
      g.writeArrayFieldStart("owners");
      for (Owner o : owners) {
        g.writeStartObject();
        g.writeStringField("id", o.id());
        g.writeStringField("kind", o.kind());
        g.writeStringField("status", o.status());
        g.writeStringField("error", o.error());
        g.writeArrayFieldStart("volumes");
        for (Volume v : o.volumes()) {
          g.writeStartObject();
          g.writeStringField("name", v.name());
          if (v.checksum() != null) g.writeNumberField("checksum", v.checksum());
          g.writeArrayFieldStart("streams");
          for (Stream s : v.streams()) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeStringField("kind", s.kind());
            g.writeNumberField("size", s.size());
            g.writeStringField("sha256", s.sha256());
            g.writeNumberField("mtime", s.mtime());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON into memory failed", e);
    }
    return w.append('\n').toString();
  }

  /** Parses and checks a manifest; every problem is reported as an {@link ArchiveException}. */
  public static Manifest parse(String json) throws ArchiveException {
    try {
      return read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw bad("unreadable: " + e.getMessage());
    }
  }

  /**
   * Reads and checks a manifest from a stream (at most {@link #MAX_BYTES}). A malformed or
   * oversized manifest is an {@link ArchiveException}; an IOException is the stream's own.
   */
  public static Manifest read(InputStream in) throws ArchiveException, IOException {
    return parse(JSON.createParser(in), true).manifest;
  }

  /**
   * Reads and checks a manifest from characters (at most {@link #MAX_BYTES} of them), as
   * {@link #read(InputStream)} does.
   */
  public static Manifest read(java.io.Reader in) throws ArchiveException, IOException {
    return parse(JSON.createParser(in), true).manifest;
  }

  /**
   * Reads a manifest once, checking all of it as {@link #read(java.io.Reader)} does (a manifest
   * one refuses, the other refuses with the same words), but keeps only its {@link Summary}: each
   * stream's record is dropped once checked, so the heap holds one stream at a time.
   */
  public static Summary summary(java.io.Reader in) throws ArchiveException, IOException {
    Parsed p = parse(JSON.createParser(in), false);
    return Summary.of(p.manifest, p.streams);
  }

  private record Parsed(Manifest manifest, int streams) {}

  private static Parsed parse(JsonParser parser, boolean keepStreams) throws ArchiveException, IOException {
    try (JsonParser p = parser) {
      Reader r = new Reader(p, keepStreams);
      Manifest m = r.manifest();
      if (p.nextToken() != null) throw bad("data after the manifest object");
      return new Parsed(m, r.streams);
    } catch (StreamConstraintsException e) {
      throw bad("too large or too deeply nested: " + e.getOriginalMessage());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw bad("not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static ArchiveException bad(String why) { return new ArchiveException(FILE_NAME, why); }

  /** Pulls the records out of the token stream, checking each field's type as it comes. */
  private static final class Reader {
    private final JsonParser p;
    /** False for a {@link Summary}: each stream is checked, counted and dropped. */
    private final boolean keepStreams;
    private int streams;

    Reader(JsonParser p, boolean keepStreams) {
      this.p = p;
      this.keepStreams = keepStreams;
    }

    Manifest manifest() throws IOException, ArchiveException {
      expect(p.nextToken(), JsonToken.START_OBJECT, "the manifest");
      Long format = null;
      String setId = null, parent = null, device = null, created = null, mode = null, type = null;
      boolean sawParent = false;
      List<Owner> owners = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        switch (f) {
          case "format": format = number(f); break;
          case "setId": setId = string(f, false); break;
          case "parent": parent = string(f, true); sawParent = true; break;
          case "device": device = string(f, false); break;
          case "created": created = string(f, false); break;
          case "mode": mode = string(f, false); break;
          case "type": type = string(f, false); break;
          case "owners": owners = owners(); break;
          default: p.skipChildren();
        }
      }
      if (format == null) throw bad("\"format\" must be an integer");
      if (format != FORMAT) throw bad("format " + format + " is not supported (expected " + FORMAT + ")");
      require(setId, "setId");
      if (!sawParent) throw bad("\"parent\" must be a string");
      require(device, "device");
      require(created, "created");
      require(mode, "mode");
      require(type, "type");
      if (!type.equals("base") && !type.equals("increment")) throw bad("type must be base or increment");
      if (owners == null) throw bad("\"owners\" must be an array");
      return new Manifest(format.intValue(), setId, parent, device, created, mode, type, owners);
    }

    private List<Owner> owners() throws IOException, ArchiveException {
      expect(p.currentToken(), JsonToken.START_ARRAY, "\"owners\"");
      List<Owner> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (out.size() == MAX_OWNERS) throw bad("more than " + MAX_OWNERS + " owners");
        out.add(owner());
      }
      return out;
    }

    private Owner owner() throws IOException, ArchiveException {
      expect(p.currentToken(), JsonToken.START_OBJECT, "an owner");
      String id = null, kind = null, status = null, error = null;
      boolean sawError = false;
      List<Volume> volumes = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        switch (f) {
          case "id": id = string(f, false); break;
          case "kind": kind = string(f, false); break;
          case "status": status = string(f, false); break;
          case "error": error = string(f, true); sawError = true; break;
          case "volumes": volumes = volumes(); break;
          default: p.skipChildren();
        }
      }
      require(id, "id");
      require(kind, "kind");
      if (!kind.equals("active") && !kind.equals("passive")) throw bad("owner kind must be active or passive");
      require(status, "status");
      if (!sawError) throw bad("\"error\" must be a string");
      if (volumes == null) throw bad("\"volumes\" must be an array");
      return new Owner(id, kind, status, error, volumes);
    }

    private List<Volume> volumes() throws IOException, ArchiveException {
      expect(p.currentToken(), JsonToken.START_ARRAY, "\"volumes\"");
      List<Volume> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (out.size() == MAX_VOLUMES) throw bad("more than " + MAX_VOLUMES + " volumes for one owner");
        expect(p.currentToken(), JsonToken.START_OBJECT, "a volume");
        String name = null;
        Long checksum = null;
        List<Stream> list = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          p.nextToken();
          switch (f) {
            case "name": name = string(f, false); break;
            case "checksum": checksum = number(f); break;
            case "streams": list = streams(); break;
            default: p.skipChildren();
          }
        }
        require(name, "name");
        if (list == null) throw bad("\"streams\" must be an array");
        out.add(new Volume(name, list, checksum));
      }
      return out;
    }

    private List<Stream> streams() throws IOException, ArchiveException {
      expect(p.currentToken(), JsonToken.START_ARRAY, "\"streams\"");
      List<Stream> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (++streams > MAX_STREAMS) throw bad("more than " + MAX_STREAMS + " streams");
        expect(p.currentToken(), JsonToken.START_OBJECT, "a stream");
        String name = null, kind = null, hash = null;
        Long size = null, mtime = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          p.nextToken();
          switch (f) {
            case "name": name = string(f, false); break;
            case "kind": kind = string(f, false); break;
            case "size": size = number(f); break;
            case "sha256": hash = string(f, false); break;
            case "mtime": mtime = number(f); break;
            default: p.skipChildren();
          }
        }
        require(hash, "sha256");
        if (!HEX64.matcher(hash).matches()) throw bad("sha256 must be 64 lowercase hex digits");
        if (size == null) throw bad("\"size\" must be an integer");
        if (size < 0) throw bad("negative stream size");
        require(name, "name");
        require(kind, "kind");
        if (mtime == null) throw bad("\"mtime\" must be an integer");
        if (keepStreams) out.add(new Stream(name, kind, size, hash, mtime));
      }
      return out;
    }

    private void expect(JsonToken got, JsonToken want, String what) throws ArchiveException {
      if (got != want) throw bad(what + " must be " + (want == JsonToken.START_OBJECT ? "an object" : "an array"));
    }

    private Long number(String field) throws IOException, ArchiveException {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw bad("\"" + field + "\" must be an integer (64-bit)");
      }
      return p.getLongValue();
    }

    private String string(String field, boolean nullable) throws IOException, ArchiveException {
      if (nullable && p.currentToken() == JsonToken.VALUE_NULL) return null;
      if (p.currentToken() != JsonToken.VALUE_STRING) throw bad("\"" + field + "\" must be a string");
      return p.getText();
    }

    private static void require(String value, String field) throws ArchiveException {
      if (value == null) throw bad("\"" + field + "\" must be a string");
    }
  }
}
