package io.mtpbridge.backup.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON subset the manifest needs: objects, arrays, strings, integers (long), booleans and
 * null. No library is allowed for this, and the manifest never holds fractions, so numbers are
 * integers only. The reader is strict and bounded (depth, length) because a manifest arrives from
 * the host and is untrusted until verified.
 */
public final class Json {
  private static final int MAX_DEPTH = 32;

  private Json() {}

  public static final class JsonException extends Exception {
    public JsonException(String message) { super(message); }
  }

  // ---------------------------------------------------------------- writing

  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    sb.append('\n');
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, int indent) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      quote(sb, s);
    } else if (v instanceof Long || v instanceof Integer) {
      sb.append(((Number) v).longValue());
    } else if (v instanceof Boolean b) {
      sb.append(b);
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) { sb.append("{}"); return; }
      sb.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        pad(sb, indent + 1);
        quote(sb, (String) e.getKey());
        sb.append(": ");
        write(sb, e.getValue(), indent + 1);
        sb.append(++i < m.size() ? ",\n" : "\n");
      }
      pad(sb, indent);
      sb.append('}');
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) { sb.append("[]"); return; }
      sb.append("[\n");
      for (int i = 0; i < l.size(); i++) {
        pad(sb, indent + 1);
        write(sb, l.get(i), indent + 1);
        sb.append(i + 1 < l.size() ? ",\n" : "\n");
      }
      pad(sb, indent);
      sb.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
    }
  }

  private static void pad(StringBuilder sb, int indent) {
    for (int i = 0; i < indent; i++) sb.append("  ");
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
      }
    }
    sb.append('"');
  }

  // ---------------------------------------------------------------- reading

  /** Parses a document; objects become ordered maps, numbers {@link Long}. */
  public static Object read(String text) throws JsonException {
    Parser p = new Parser(text);
    p.ws();
    Object v = p.value(0);
    p.ws();
    if (p.pos != text.length()) throw new JsonException("unexpected text after the document at offset " + p.pos);
    return v;
  }

  private static final class Parser {
    final String s;
    int pos;

    Parser(String s) { this.s = s; }

    void ws() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') pos++;
        else break;
      }
    }

    JsonException err(String what) { return new JsonException(what + " at offset " + pos); }

    char peek() throws JsonException {
      if (pos >= s.length()) throw err("document ends early");
      return s.charAt(pos);
    }

    void expect(char c) throws JsonException {
      if (peek() != c) throw err("expected '" + c + "'");
      pos++;
    }

    Object value(int depth) throws JsonException {
      if (depth > MAX_DEPTH) throw err("nested deeper than " + MAX_DEPTH);
      char c = peek();
      switch (c) {
        case '{': return object(depth);
        case '[': return array(depth);
        case '"': return string();
        case 't': literal("true"); return Boolean.TRUE;
        case 'f': literal("false"); return Boolean.FALSE;
        case 'n': literal("null"); return null;
        default:
          if (c == '-' || (c >= '0' && c <= '9')) return number();
          throw err("unexpected character '" + c + "'");
      }
    }

    void literal(String word) throws JsonException {
      if (!s.startsWith(word, pos)) throw err("expected " + word);
      pos += word.length();
    }

    Long number() throws JsonException {
      int start = pos;
      if (s.charAt(pos) == '-') pos++;
      int digits = pos;
      while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 128) pos++;
      if (pos == digits || pos - digits > 19) throw err("bad integer");
      if (s.charAt(digits) == '0' && pos - digits > 1) throw err("leading zero");
      if (pos < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) throw err("only integers are allowed");
      try {
        return Long.parseLong(s.substring(start, pos));
      } catch (NumberFormatException e) {
        throw err("integer out of range");
      }
    }

    String string() throws JsonException {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = peek();
        pos++;
        if (c == '"') return sb.toString();
        if (c < 0x20) throw err("control character in string");
        if (c != '\\') { sb.append(c); continue; }
        char e = peek();
        pos++;
        switch (e) {
          case '"': sb.append('"'); break;
          case '\\': sb.append('\\'); break;
          case '/': sb.append('/'); break;
          case 'b': sb.append('\b'); break;
          case 'f': sb.append('\f'); break;
          case 'n': sb.append('\n'); break;
          case 'r': sb.append('\r'); break;
          case 't': sb.append('\t'); break;
          case 'u':
            if (pos + 4 > s.length()) throw err("short \\u escape");
            try {
              sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            } catch (NumberFormatException x) {
              throw err("bad \\u escape");
            }
            pos += 4;
            break;
          default: throw err("bad escape \\" + e);
        }
      }
    }

    Map<String, Object> object(int depth) throws JsonException {
      expect('{');
      Map<String, Object> m = new LinkedHashMap<>();
      ws();
      if (peek() == '}') { pos++; return m; }
      while (true) {
        ws();
        String key = string();
        ws();
        expect(':');
        ws();
        if (m.containsKey(key)) throw err("duplicate key \"" + key + "\"");
        m.put(key, value(depth + 1));
        ws();
        char c = peek();
        pos++;
        if (c == '}') return m;
        if (c != ',') throw err("expected ',' or '}'");
      }
    }

    List<Object> array(int depth) throws JsonException {
      expect('[');
      List<Object> l = new ArrayList<>();
      ws();
      if (peek() == ']') { pos++; return l; }
      while (true) {
        ws();
        l.add(value(depth + 1));
        ws();
        char c = peek();
        pos++;
        if (c == ']') return l;
        if (c != ',') throw err("expected ',' or ']'");
      }
    }
  }
}
