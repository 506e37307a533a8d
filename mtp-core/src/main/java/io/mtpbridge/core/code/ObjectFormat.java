package io.mtpbridge.core.code;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PTP 1.1 and MTP 1.1 object format codes, with the file extensions each format is chosen for.
 * Formats are what hosts filter and pick icons by; a file whose extension has no standard code is
 * {@link #UNDEFINED} (0x3000) and transfers just the same. Several extensions may map to one code
 * (the Office Open XML files use the MS Office document codes, as Android does); each extension maps
 * to exactly one format.
 */
public enum ObjectFormat {
  UNDEFINED(0x3000, "Undefined", Category.OTHER),
  ASSOCIATION(0x3001, "Association", Category.OTHER),
  SCRIPT(0x3002, "Script", Category.OTHER),
  EXECUTABLE(0x3003, "Executable", Category.OTHER, "exe"),
  TEXT(0x3004, "Text", Category.DOCUMENT, "txt", "text", "log", "csv"),
  HTML(0x3005, "HTML", Category.DOCUMENT, "html", "htm"),
  DPOF(0x3006, "DPOF", Category.OTHER),
  AIFF(0x3007, "AIFF", Category.AUDIO, "aif", "aiff", "aifc"),
  WAV(0x3008, "WAV", Category.AUDIO, "wav"),
  MP3(0x3009, "MP3", Category.AUDIO, "mp3"),
  AVI(0x300A, "AVI", Category.VIDEO, "avi"),
  MPEG(0x300B, "MPEG", Category.VIDEO, "mpeg", "mpg", "mpe"),
  ASF(0x300C, "ASF", Category.VIDEO, "asf"),
  UNKNOWN_IMAGE(0x3800, "UnknownImage", Category.IMAGE),
  EXIF_JPEG(0x3801, "EXIF_JPEG", Category.IMAGE, "jpg", "jpeg", "jpe"),
  TIFF_EP(0x3802, "TIFF_EP", Category.IMAGE),
  FLASH_PIX(0x3803, "FlashPix", Category.IMAGE, "fpx"),
  BMP(0x3804, "BMP", Category.IMAGE, "bmp", "dib"),
  CIFF(0x3805, "CIFF", Category.IMAGE, "crw"),
  GIF(0x3807, "GIF", Category.IMAGE, "gif"),
  JFIF(0x3808, "JFIF", Category.IMAGE, "jfif"),
  PCD(0x3809, "PCD", Category.IMAGE, "pcd"),
  PICT(0x380A, "PICT", Category.IMAGE, "pict", "pct"),
  PNG(0x380B, "PNG", Category.IMAGE, "png"),
  TIFF(0x380D, "TIFF", Category.IMAGE, "tif", "tiff"),
  TIFF_IT(0x380E, "TIFF_IT", Category.IMAGE),
  JP2(0x380F, "JP2", Category.IMAGE, "jp2"),
  JPX(0x3810, "JPX", Category.IMAGE, "jpx", "jpf"),
  DNG(0x3811, "DNG", Category.IMAGE, "dng"),
  UNDEFINED_FIRMWARE(0xB802, "UndefinedFirmware", Category.OTHER),
  WINDOWS_IMAGE_FORMAT(0xB881, "WindowsImageFormat", Category.IMAGE),
  UNDEFINED_AUDIO(0xB900, "UndefinedAudio", Category.AUDIO, "opus", "mid", "midi"),
  WMA(0xB901, "WMA", Category.AUDIO, "wma"),
  OGG(0xB902, "OGG", Category.AUDIO, "ogg", "oga"),
  AAC(0xB903, "AAC", Category.AUDIO, "aac"),
  AUDIBLE(0xB904, "Audible", Category.AUDIO, "aa"),
  FLAC(0xB906, "FLAC", Category.AUDIO, "flac"),
  QCELP(0xB907, "QCELP", Category.AUDIO, "qcp"),
  AMR(0xB908, "AMR", Category.AUDIO, "amr"),
  UNDEFINED_VIDEO(0xB980, "UndefinedVideo", Category.VIDEO, "mkv", "webm", "mov", "qt", "m4v", "ogv"),
  WMV(0xB981, "WMV", Category.VIDEO, "wmv"),
  MP4_CONTAINER(0xB982, "MP4Container", Category.VIDEO, "mp4", "m4a"),
  MP2(0xB983, "MP2", Category.VIDEO),
  THREE_GP_CONTAINER(0xB984, "3GPContainer", Category.VIDEO, "3gp"),
  THREE_G2(0xB985, "3G2", Category.VIDEO, "3g2"),
  AVCHD(0xB986, "AVCHD", Category.VIDEO, "mts", "m2ts"),
  ATSC_TS(0xB987, "ATSC_TS", Category.VIDEO),
  DVB_TS(0xB988, "DVB_TS", Category.VIDEO, "ts"),
  UNDEFINED_COLLECTION(0xBA00, "UndefinedCollection", Category.OTHER),
  ABSTRACT_MULTIMEDIA_ALBUM(0xBA01, "AbstractMultimediaAlbum", Category.OTHER),
  ABSTRACT_IMAGE_ALBUM(0xBA02, "AbstractImageAlbum", Category.OTHER),
  // libmtp writes its abstract albums and playlists as empty objects named NAME.alb and NAME.pla
  // (NAME.zpl for Creative devices) and finds them again by these formats: the file system keeps
  // no format, so the extension must bring it back after a reconnect
  ABSTRACT_AUDIO_ALBUM(0xBA03, "AbstractAudioAlbum", Category.OTHER, "alb"),
  ABSTRACT_VIDEO_ALBUM(0xBA04, "AbstractVideoAlbum", Category.OTHER),
  ABSTRACT_AUDIO_VIDEO_PLAYLIST(0xBA05, "AbstractAudioVideoPlaylist", Category.OTHER, "pla", "zpl"),
  ABSTRACT_CONTACT_GROUP(0xBA06, "AbstractContactGroup", Category.OTHER),
  ABSTRACT_MESSAGE_FOLDER(0xBA07, "AbstractMessageFolder", Category.OTHER),
  ABSTRACT_CHAPTERED_PRODUCTION(0xBA08, "AbstractChapteredProduction", Category.OTHER),
  ABSTRACT_AUDIO_PLAYLIST(0xBA09, "AbstractAudioPlaylist", Category.OTHER),
  ABSTRACT_VIDEO_PLAYLIST(0xBA0A, "AbstractVideoPlaylist", Category.OTHER),
  ABSTRACT_MEDIACAST(0xBA0B, "AbstractMediacast", Category.OTHER),
  WPL_PLAYLIST(0xBA10, "WPLPlaylist", Category.OTHER, "wpl"),
  M3U_PLAYLIST(0xBA11, "M3UPlaylist", Category.OTHER, "m3u", "m3u8"),
  MPL_PLAYLIST(0xBA12, "MPLPlaylist", Category.OTHER, "mpl"),
  ASX_PLAYLIST(0xBA13, "ASXPlaylist", Category.OTHER, "asx"),
  PLS_PLAYLIST(0xBA14, "PLSPlaylist", Category.OTHER, "pls"),
  UNDEFINED_DOCUMENT(0xBA80, "UndefinedDocument", Category.DOCUMENT),
  ABSTRACT_DOCUMENT(0xBA81, "AbstractDocument", Category.DOCUMENT),
  XML_DOCUMENT(0xBA82, "XMLDocument", Category.DOCUMENT, "xml"),
  MS_WORD_DOCUMENT(0xBA83, "MSWordDocument", Category.DOCUMENT, "doc", "docx"),
  MHT_COMPILED_HTML_DOCUMENT(0xBA84, "MHTCompiledHTMLDocument", Category.DOCUMENT, "mht", "mhtml"),
  MS_EXCEL_SPREADSHEET_XLS(0xBA85, "MSExcelSpreadsheetXLS", Category.DOCUMENT, "xls", "xlsx"),
  MS_POWERPOINT_PRESENTATION_PPT(0xBA86, "MSPowerpointPresentationPPT", Category.DOCUMENT, "ppt", "pptx"),
  UNDEFINED_MESSAGE(0xBB00, "UndefinedMessage", Category.OTHER),
  ABSTRACT_MESSAGE(0xBB01, "AbstractMessage", Category.OTHER),
  UNDEFINED_CONTACT(0xBB80, "UndefinedContact", Category.OTHER),
  ABSTRACT_CONTACT(0xBB81, "AbstractContact", Category.OTHER),
  VCARD2(0xBB82, "vCard2", Category.OTHER),
  VCARD3(0xBB83, "vCard3", Category.OTHER, "vcf"),
  UNDEFINED_CALENDAR_ITEM(0xBE00, "UndefinedCalendarItem", Category.OTHER),
  ABSTRACT_CALENDAR_ITEM(0xBE01, "AbstractCalendarItem", Category.OTHER),
  VCALENDAR1(0xBE02, "vCalendar1", Category.OTHER, "vcs"),
  VCALENDAR2(0xBE03, "vCalendar2", Category.OTHER, "ics"),
  UNDEFINED_WINDOWS_EXECUTABLE(0xBE80, "UndefinedWindowsExecutable", Category.OTHER);

  private static final CodeTable<ObjectFormat> TABLE = new CodeTable<>(values(), ObjectFormat::value);

  private final int value;
  private final String wireName;
  private final Category category;
  private final String[] extensions;

  ObjectFormat(int value, String wireName, Category category, String... extensions) {
    this.value = value;
    this.wireName = wireName;
    this.category = category;
    this.extensions = extensions;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** Broad kind of content, for hosts' views and for choosing which properties to offer. */
  public enum Category { DOCUMENT, IMAGE, AUDIO, VIDEO, OTHER }

  private static final Map<String, ObjectFormat> BY_EXTENSION = new HashMap<>();

  static {
    for (ObjectFormat f : values()) {
      for (String ext : f.extensions) {
        ObjectFormat previous = BY_EXTENSION.put(ext, f);
        if (previous != null) throw new IllegalStateException("extension " + ext + " mapped twice");
      }
    }
  }

  public Category category() { return category; }

  /** The lower-case file extensions (without dot) this format is chosen for; may be empty. */
  public List<String> extensions() { return List.of(extensions); }

  /** True for the Association format, i.e. folders. */
  public boolean isAssociation() { return this == ASSOCIATION; }

  /** True when the wire value is the Association format (folders). */
  public static boolean isAssociation(int value) { return value == ASSOCIATION.value; }

  /**
   * The format for a file name, by its extension (case-insensitive); {@link #UNDEFINED} when the
   * name has no extension or the extension has no code. Never null.
   */
  public static ObjectFormat forFileName(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0 || dot == fileName.length() - 1) return UNDEFINED;
    // A folder's files mostly share an extension, and a listing asks for every one of them:
    // the last ASCII extension is remembered, so those ask the map without making two strings.
    LastExtension last = lastExtension;
    if (last.matches(fileName, dot + 1)) return last.format;
    String extension = fileName.substring(dot + 1);
    ObjectFormat f = forExtension(extension);
    if (isAscii(extension)) lastExtension = new LastExtension(extension.toLowerCase(Locale.ROOT), f);
    return f;
  }

  /** An extension (lower-case ASCII) and its format; immutable, so threads may share it without locking. */
  private record LastExtension(String lowerCase, ObjectFormat format) {
    /** True when {@code name} from index {@code from} to its end is this extension in any ASCII case. */
    boolean matches(String name, int from) {
      int n = lowerCase.length();
      if (name.length() - from != n) return false;
      for (int i = 0; i < n; i++) {
        char c = name.charAt(from + i);
        if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
        if (c != lowerCase.charAt(i)) return false;
      }
      return true;
    }
  }

  private static LastExtension lastExtension = new LastExtension("", UNDEFINED);

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
    return true;
  }

  /** The format for an extension without its dot (case-insensitive); {@link #UNDEFINED} if none. */
  public static ObjectFormat forExtension(String extension) {
    return BY_EXTENSION.getOrDefault(extension.toLowerCase(Locale.ROOT), UNDEFINED);
  }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static ObjectFormat of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    ObjectFormat c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
