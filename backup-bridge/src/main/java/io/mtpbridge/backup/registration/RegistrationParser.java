package io.mtpbridge.backup.registration;

import io.mtpbridge.backup.protocol.Names;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads one registration file (format in backup-bridge/README.md). SAX rather than DOM so every
 * complaint carries a line number; DTDs and external entities are refused outright, since a
 * registration directory may be writable by package installers we do not fully trust. Anything
 * unknown (element, attribute, volume) is an error rather than ignored: a typo must not silently
 * drop data from backups.
 */
public final class RegistrationParser {
  public static final Pattern OWNER_ID = Names.OWNER_ID;
  public static final Pattern VOLUME = Names.VOLUME;
  public static final Duration DEFAULT_CALLBACK_TIMEOUT = Duration.ofSeconds(30);
  private static final long MAX_TIMEOUT_MS = 3_600_000;
  private static final int MAX_ENTRIES = 1000;

  private final Set<String> knownVolumes;

  /** {@code knownVolumes}: the volumes configured on this device; a registration naming another is invalid. */
  public RegistrationParser(Set<String> knownVolumes) {
    this.knownVolumes = Set.copyOf(knownVolumes);
  }

  public Registration parse(Path file, InputStream in) throws RegistrationException {
    Handler handler = new Handler(file);
    try {
      newParser().parse(in, handler);
    } catch (SAXParseException e) {
      throw new RegistrationException(file, Math.max(e.getLineNumber(), 0), "not well-formed XML: " + e.getMessage());
    } catch (SAXException e) {
      if (e.getException() instanceof RegistrationException r) throw r;
      throw new RegistrationException(file, handler.line(), e.getMessage());
    } catch (IOException e) {
      throw new RegistrationException(file, 0, "cannot read: " + e.getMessage());
    }
    return handler.finish();
  }

  private static SAXParser newParser() throws SAXException {
    try {
      SAXParserFactory f = SAXParserFactory.newInstance();
      f.setNamespaceAware(false);
      f.setValidating(false);
      f.setXIncludeAware(false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      return f.newSAXParser();
    } catch (ParserConfigurationException e) {
      throw new SAXException("XML parser cannot be configured securely: " + e.getMessage());
    }
  }

  /** Builds the registration while checking structure; element paths are tracked as a stack. */
  private final class Handler extends DefaultHandler {
    private final Path file;
    private Locator locator;
    private final List<String> stack = new ArrayList<>();
    private String ownerId;
    private int uid = -1;
    private boolean sawPassive, sawActive, sawRestore;
    private boolean deleteBeforeRestore;
    private final Map<String, Registration.Selection> passiveVolumes = new LinkedHashMap<>();
    private String currentVolume;
    private List<String> dirs, files, excludes;
    private boolean supportsIncremental;
    private Duration callbackTimeout = DEFAULT_CALLBACK_TIMEOUT;
    private final List<String> activeVolumes = new ArrayList<>();
    private boolean requiresReboot;
    private int entries;

    Handler(Path file) { this.file = file; }

    int line() { return locator == null ? 0 : locator.getLineNumber(); }

    @Override public void setDocumentLocator(Locator locator) { this.locator = locator; }

    private SAXException fail(String reason) {
      return new SAXException(new RegistrationException(file, line(), reason));
    }

    @Override public void characters(char[] ch, int start, int length) throws SAXException {
      for (int i = start; i < start + length; i++) {
        if (!Character.isWhitespace(ch[i])) throw fail("unexpected text in <" + top() + ">");
      }
    }

    private String top() { return stack.isEmpty() ? "" : stack.get(stack.size() - 1); }

    @Override public void startElement(String uri, String localName, String qName, Attributes a) throws SAXException {
      if (++entries > MAX_ENTRIES) throw fail("more than " + MAX_ENTRIES + " elements");
      String parent = top();
      String path = parent + "/" + qName;
      switch (parent.isEmpty() ? qName : parent + ">" + qName) {
        case "backup_registration": {
          allow(a, qName, "owner", "uid");
          ownerId = required(a, qName, "owner");
          if (!OWNER_ID.matcher(ownerId).matches()) throw fail("owner id '" + ownerId + "' must match " + OWNER_ID.pattern());
          String u = required(a, qName, "uid");
          OptionalInt id = UnixUsers.uidOf(u);
          if (id.isEmpty()) throw fail("uid '" + u + "' is neither a number nor a known user");
          uid = id.getAsInt();
          break;
        }
        case "backup_registration>passive_backup":
          if (sawPassive || sawActive) throw fail("only one <passive_backup> or <active_backup> per owner");
          sawPassive = true;
          allow(a, qName, "delete_before_restore");
          deleteBeforeRestore = bool(a, "delete_before_restore", false);
          break;
        case "passive_backup>volume":
          allow(a, qName, "name");
          currentVolume = volume(a);
          if (passiveVolumes.containsKey(currentVolume)) throw fail("volume '" + currentVolume + "' listed twice");
          dirs = new ArrayList<>();
          files = new ArrayList<>();
          excludes = new ArrayList<>();
          break;
        case "volume>include_directory":
          requireIn("passive_backup");
          allow(a, qName, "name");
          dirs.add(relativePath(required(a, qName, "name")));
          break;
        case "volume>include_file":
          requireIn("passive_backup");
          allow(a, qName, "name");
          files.add(relativePath(required(a, qName, "name")));
          break;
        case "volume>exclude":
          requireIn("passive_backup");
          allow(a, qName, "name");
          excludes.add(relativePath(required(a, qName, "name")));
          break;
        case "backup_registration>active_backup":
          if (sawPassive || sawActive) throw fail("only one <passive_backup> or <active_backup> per owner");
          sawActive = true;
          // No process_name: an owner is identified by its uid, checked by the kernel; the name of
          // a JVM owner's executable is always "java", so it would prove nothing.
          allow(a, qName, "supports_incremental", "callback_timeout_ms");
          supportsIncremental = bool(a, "supports_incremental", false);
          String t = a.getValue("callback_timeout_ms");
          if (t != null) {
            if (!t.matches("[0-9]{1,7}") || Long.parseLong(t) < 1 || Long.parseLong(t) > MAX_TIMEOUT_MS) {
              throw fail("callback_timeout_ms must be 1.." + MAX_TIMEOUT_MS + ", got '" + t + "'");
            }
            callbackTimeout = Duration.ofMillis(Long.parseLong(t));
          }
          break;
        case "active_backup>volume": {
          allow(a, qName, "name");
          String v = volume(a);
          if (activeVolumes.contains(v)) throw fail("volume '" + v + "' listed twice");
          activeVolumes.add(v);
          break;
        }
        case "backup_registration>restore":
          if (sawRestore) throw fail("<restore> given twice");
          sawRestore = true;
          allow(a, qName, "requires_reboot");
          requiresReboot = bool(a, "requires_reboot", false);
          break;
        default:
          throw fail(parent.isEmpty()
              ? "root element must be <backup_registration>, found <" + qName + ">"
              : "<" + qName + "> is not allowed inside <" + parent + "> (" + path + ")");
      }
      stack.add(qName);
    }

    private void requireIn(String grandParent) throws SAXException {
      if (stack.size() < 2 || !stack.get(stack.size() - 2).equals(grandParent)) throw fail("element allowed only in <" + grandParent + "><volume>");
    }

    @Override public void endElement(String uri, String localName, String qName) throws SAXException {
      stack.remove(stack.size() - 1);
      if (qName.equals("volume") && top().equals("passive_backup")) {
        if (dirs.isEmpty() && files.isEmpty()) throw fail("volume '" + currentVolume + "' includes nothing");
        passiveVolumes.put(currentVolume, new Registration.Selection(dirs, files, excludes));
        currentVolume = null;
      }
    }

    private String volume(Attributes a) throws SAXException {
      String v = required(a, "volume", "name");
      if (!VOLUME.matcher(v).matches()) throw fail("volume name '" + v + "' must match " + VOLUME.pattern());
      if (!knownVolumes.contains(v)) throw fail("volume '" + v + "' is not configured on this device (known: " + knownVolumes + ")");
      return v;
    }

    private String relativePath(String p) throws SAXException {
      if (p.isEmpty() || p.length() > 1024) throw fail("path must be 1..1024 characters");
      if (p.startsWith("/") || p.contains("\\") || p.indexOf('\0') >= 0) throw fail("path '" + p + "' must be relative to the volume root, with '/' separators");
      String trimmed = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
      for (String seg : trimmed.split("/", -1)) {
        if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) throw fail("path '" + p + "' has an empty, '.' or '..' segment");
      }
      return trimmed;
    }

    private void allow(Attributes a, String element, String... names) throws SAXException {
      outer:
      for (int i = 0; i < a.getLength(); i++) {
        for (String n : names) if (n.equals(a.getQName(i))) continue outer;
        throw fail("unknown attribute '" + a.getQName(i) + "' on <" + element + ">");
      }
    }

    private String required(Attributes a, String element, String name) throws SAXException {
      String v = a.getValue(name);
      if (v == null || v.isBlank()) throw fail("<" + element + "> needs attribute '" + name + "'");
      return v.trim();
    }

    private boolean bool(Attributes a, String name, boolean dflt) throws SAXException {
      String v = a.getValue(name);
      if (v == null) return dflt;
      if (v.equals("true")) return true;
      if (v.equals("false")) return false;
      throw fail("attribute '" + name + "' must be true or false, got '" + v + "'");
    }

    Registration finish() throws RegistrationException {
      if (ownerId == null) throw new RegistrationException(file, 0, "no <backup_registration> element");
      if (!sawPassive && !sawActive) throw new RegistrationException(file, 0, "needs <passive_backup> or <active_backup>");
      if (sawPassive && passiveVolumes.isEmpty()) throw new RegistrationException(file, 0, "<passive_backup> lists no volume");
      if (sawActive && activeVolumes.isEmpty()) throw new RegistrationException(file, 0, "<active_backup> lists no volume");
      Optional<Registration.Passive> passive = sawPassive
          ? Optional.of(new Registration.Passive(deleteBeforeRestore, passiveVolumes)) : Optional.empty();
      Optional<Registration.Active> active = sawActive
          ? Optional.of(new Registration.Active(supportsIncremental, callbackTimeout, activeVolumes))
          : Optional.empty();
      return new Registration(ownerId, uid, file, passive, active, requiresReboot);
    }
  }
}
