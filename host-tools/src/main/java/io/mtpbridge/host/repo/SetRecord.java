package io.mtpbridge.host.repo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * set.json: what the PC knows about a set beyond its manifest: which device it came from (by
 * serial: the manifest names the device only by its model), when the PC stored it, and the
 * archive's size.
 */
public record SetRecord(String id, String serial, String manufacturer, String model, String stored, long bytes) {
  public static final String FILE_NAME = "set.json";
  /** The largest set.json read. */
  static final int MAX_BYTES = 1 << 20;
  static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 * 1024).maxNestingDepth(8).maxDocumentLength(MAX_BYTES).build())
      .build();

  public void write(OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeNumberField("format", 1);
      g.writeStringField("id", id);
      g.writeObjectFieldStart("device");
      g.writeStringField("serial", serial);
      g.writeStringField("manufacturer", manufacturer);
      g.writeStringField("model", model);
      g.writeEndObject();
      g.writeStringField("stored", stored);
      g.writeNumberField("bytes", bytes);
      g.writeEndObject();
    }
  }

  /** Reads set.json; a malformed file is an IOException naming what is wrong. */
  public static SetRecord read(InputStream in) throws IOException {
    String id = null, serial = null, manufacturer = "", model = "", stored = "";
    long bytes = -1;
    try (JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("set.json is not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "id" -> id = p.getValueAsString();
          case "stored" -> stored = p.getValueAsString("");
          case "bytes" -> bytes = p.getValueAsLong(-1);
          case "device" -> {
            if (t != JsonToken.START_OBJECT) throw new IOException("set.json: device is not an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              p.nextToken();
              switch (f) {
                case "serial" -> serial = p.getValueAsString();
                case "manufacturer" -> manufacturer = p.getValueAsString("");
                case "model" -> model = p.getValueAsString("");
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException("set.json is not valid JSON: " + e.getOriginalMessage());
    }
    if (id == null || serial == null) throw new IOException("set.json lacks the set id or the device serial");
    return new SetRecord(id, serial, manufacturer, model, stored, bytes);
  }
}
