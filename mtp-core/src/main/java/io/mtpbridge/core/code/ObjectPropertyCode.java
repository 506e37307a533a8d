package io.mtpbridge.core.code;

/**
 * MTP 1.1 object property codes, each with the data type the specification gives it (dates are
 * STR in DateTimeString form; "long strings" such as Description are AUINT16 of UTF-16 units).
 */
public enum ObjectPropertyCode {
  STORAGE_ID(0xDC01, "StorageID", DataType.UINT32),
  OBJECT_FORMAT(0xDC02, "ObjectFormat", DataType.UINT16),
  PROTECTION_STATUS(0xDC03, "ProtectionStatus", DataType.UINT16),
  OBJECT_SIZE(0xDC04, "ObjectSize", DataType.UINT64),
  ASSOCIATION_TYPE(0xDC05, "AssociationType", DataType.UINT16),
  ASSOCIATION_DESC(0xDC06, "AssociationDesc", DataType.UINT32),
  OBJECT_FILE_NAME(0xDC07, "ObjectFileName", DataType.STR),
  DATE_CREATED(0xDC08, "DateCreated", DataType.STR),
  DATE_MODIFIED(0xDC09, "DateModified", DataType.STR),
  KEYWORDS(0xDC0A, "Keywords", DataType.STR),
  PARENT_OBJECT(0xDC0B, "ParentObject", DataType.UINT32),
  ALLOWED_FOLDER_CONTENTS(0xDC0C, "AllowedFolderContents", DataType.AUINT16),
  HIDDEN(0xDC0D, "Hidden", DataType.UINT16),
  SYSTEM_OBJECT(0xDC0E, "SystemObject", DataType.UINT16),
  PERSISTENT_UNIQUE_OBJECT_IDENTIFIER(0xDC41, "PersistentUniqueObjectIdentifier", DataType.UINT128),
  SYNC_ID(0xDC42, "SyncID", DataType.STR),
  PROPERTY_BAG(0xDC43, "PropertyBag", DataType.AUINT16),
  NAME(0xDC44, "Name", DataType.STR),
  CREATED_BY(0xDC45, "CreatedBy", DataType.STR),
  ARTIST(0xDC46, "Artist", DataType.STR),
  DATE_AUTHORED(0xDC47, "DateAuthored", DataType.STR),
  DESCRIPTION(0xDC48, "Description", DataType.AUINT16),
  URL_REFERENCE(0xDC49, "URLReference", DataType.STR),
  LANGUAGE_LOCALE(0xDC4A, "LanguageLocale", DataType.STR),
  COPYRIGHT_INFORMATION(0xDC4B, "CopyrightInformation", DataType.AUINT16),
  SOURCE(0xDC4C, "Source", DataType.STR),
  ORIGIN_LOCATION(0xDC4D, "OriginLocation", DataType.STR),
  DATE_ADDED(0xDC4E, "DateAdded", DataType.STR),
  NON_CONSUMABLE(0xDC4F, "NonConsumable", DataType.UINT8),
  CORRUPT_OR_UNPLAYABLE(0xDC50, "CorruptOrUnplayable", DataType.UINT8),
  PRODUCER_SERIAL_NUMBER(0xDC51, "ProducerSerialNumber", DataType.STR),
  REPRESENTATIVE_SAMPLE_FORMAT(0xDC81, "RepresentativeSampleFormat", DataType.UINT16),
  REPRESENTATIVE_SAMPLE_SIZE(0xDC82, "RepresentativeSampleSize", DataType.UINT32),
  REPRESENTATIVE_SAMPLE_HEIGHT(0xDC83, "RepresentativeSampleHeight", DataType.UINT32),
  REPRESENTATIVE_SAMPLE_WIDTH(0xDC84, "RepresentativeSampleWidth", DataType.UINT32),
  REPRESENTATIVE_SAMPLE_DURATION(0xDC85, "RepresentativeSampleDuration", DataType.UINT32),
  REPRESENTATIVE_SAMPLE_DATA(0xDC86, "RepresentativeSampleData", DataType.AUINT8),
  WIDTH(0xDC87, "Width", DataType.UINT32),
  HEIGHT(0xDC88, "Height", DataType.UINT32),
  DURATION(0xDC89, "Duration", DataType.UINT32),
  RATING(0xDC8A, "Rating", DataType.UINT16),
  TRACK(0xDC8B, "Track", DataType.UINT16),
  GENRE(0xDC8C, "Genre", DataType.STR),
  CREDITS(0xDC8D, "Credits", DataType.AUINT16),
  LYRICS(0xDC8E, "Lyrics", DataType.AUINT16),
  SUBSCRIPTION_CONTENT_ID(0xDC8F, "SubscriptionContentID", DataType.STR),
  PRODUCED_BY(0xDC90, "ProducedBy", DataType.STR),
  USE_COUNT(0xDC91, "UseCount", DataType.UINT32),
  SKIP_COUNT(0xDC92, "SkipCount", DataType.UINT32),
  LAST_ACCESSED(0xDC93, "LastAccessed", DataType.STR),
  PARENTAL_RATING(0xDC94, "ParentalRating", DataType.STR),
  META_GENRE(0xDC95, "MetaGenre", DataType.UINT16),
  COMPOSER(0xDC96, "Composer", DataType.STR),
  EFFECTIVE_RATING(0xDC97, "EffectiveRating", DataType.UINT16),
  SUBTITLE(0xDC98, "Subtitle", DataType.STR),
  ORIGINAL_RELEASE_DATE(0xDC99, "OriginalReleaseDate", DataType.STR),
  ALBUM_NAME(0xDC9A, "AlbumName", DataType.STR),
  ALBUM_ARTIST(0xDC9B, "AlbumArtist", DataType.STR),
  MOOD(0xDC9C, "Mood", DataType.STR),
  DRM_STATUS(0xDC9D, "DRMStatus", DataType.UINT16),
  SUB_DESCRIPTION(0xDC9E, "SubDescription", DataType.AUINT16),
  IS_CROPPED(0xDCD1, "IsCropped", DataType.UINT16),
  IS_COLOUR_CORRECTED(0xDCD2, "IsColourCorrected", DataType.UINT16),
  IMAGE_BIT_DEPTH(0xDCD3, "ImageBitDepth", DataType.UINT32),
  FNUMBER(0xDCD4, "Fnumber", DataType.UINT16),
  EXPOSURE_TIME(0xDCD5, "ExposureTime", DataType.UINT32),
  EXPOSURE_INDEX(0xDCD6, "ExposureIndex", DataType.UINT16),
  DISPLAY_NAME(0xDCE0, "DisplayName", DataType.STR),
  BODY_TEXT(0xDCE1, "BodyText", DataType.AUINT16),
  SUBJECT(0xDCE2, "Subject", DataType.STR),
  PRIORITY(0xDCE3, "Priority", DataType.UINT16),
  GIVEN_NAME(0xDD00, "GivenName", DataType.STR),
  MIDDLE_NAMES(0xDD01, "MiddleNames", DataType.STR),
  FAMILY_NAME(0xDD02, "FamilyName", DataType.STR),
  PREFIX(0xDD03, "Prefix", DataType.STR),
  SUFFIX(0xDD04, "Suffix", DataType.STR),
  PHONETIC_GIVEN_NAME(0xDD05, "PhoneticGivenName", DataType.STR),
  PHONETIC_FAMILY_NAME(0xDD06, "PhoneticFamilyName", DataType.STR),
  EMAIL_PRIMARY(0xDD07, "EmailPrimary", DataType.STR),
  EMAIL_PERSONAL1(0xDD08, "EmailPersonal1", DataType.STR),
  EMAIL_PERSONAL2(0xDD09, "EmailPersonal2", DataType.STR),
  EMAIL_BUSINESS1(0xDD0A, "EmailBusiness1", DataType.STR),
  EMAIL_BUSINESS2(0xDD0B, "EmailBusiness2", DataType.STR),
  EMAIL_OTHERS(0xDD0C, "EmailOthers", DataType.AUINT16),
  PHONE_NUMBER_PRIMARY(0xDD0D, "PhoneNumberPrimary", DataType.STR),
  PHONE_NUMBER_PERSONAL(0xDD0E, "PhoneNumberPersonal", DataType.STR),
  PHONE_NUMBER_PERSONAL2(0xDD0F, "PhoneNumberPersonal2", DataType.STR),
  PHONE_NUMBER_BUSINESS(0xDD10, "PhoneNumberBusiness", DataType.STR),
  PHONE_NUMBER_BUSINESS2(0xDD11, "PhoneNumberBusiness2", DataType.STR),
  PHONE_NUMBER_MOBILE(0xDD12, "PhoneNumberMobile", DataType.STR),
  PHONE_NUMBER_MOBILE2(0xDD13, "PhoneNumberMobile2", DataType.STR),
  FAX_NUMBER_PRIMARY(0xDD14, "FaxNumberPrimary", DataType.STR),
  FAX_NUMBER_PERSONAL(0xDD15, "FaxNumberPersonal", DataType.STR),
  FAX_NUMBER_BUSINESS(0xDD16, "FaxNumberBusiness", DataType.STR),
  PAGER_NUMBER(0xDD17, "PagerNumber", DataType.STR),
  PHONE_NUMBER_OTHERS(0xDD18, "PhoneNumberOthers", DataType.AUINT16),
  PRIMARY_WEB_ADDRESS(0xDD19, "PrimaryWebAddress", DataType.STR),
  PERSONAL_WEB_ADDRESS(0xDD1A, "PersonalWebAddress", DataType.STR),
  BUSINESS_WEB_ADDRESS(0xDD1B, "BusinessWebAddress", DataType.STR),
  INSTANT_MESSENGER_ADDRESS(0xDD1C, "InstantMessengerAddress", DataType.STR),
  INSTANT_MESSENGER_ADDRESS2(0xDD1D, "InstantMessengerAddress2", DataType.STR),
  INSTANT_MESSENGER_ADDRESS3(0xDD1E, "InstantMessengerAddress3", DataType.STR),
  POSTAL_ADDRESS_PERSONAL_FULL(0xDD1F, "PostalAddressPersonalFull", DataType.AUINT16),
  POSTAL_ADDRESS_PERSONAL_LINE1(0xDD20, "PostalAddressPersonalLine1", DataType.STR),
  POSTAL_ADDRESS_PERSONAL_LINE2(0xDD21, "PostalAddressPersonalLine2", DataType.STR),
  POSTAL_ADDRESS_PERSONAL_CITY(0xDD22, "PostalAddressPersonalCity", DataType.STR),
  POSTAL_ADDRESS_PERSONAL_REGION(0xDD23, "PostalAddressPersonalRegion", DataType.STR),
  POSTAL_ADDRESS_PERSONAL_POSTAL_CODE(0xDD24, "PostalAddressPersonalPostalCode", DataType.STR),
  POSTAL_ADDRESS_PERSONAL_COUNTRY(0xDD25, "PostalAddressPersonalCountry", DataType.STR),
  POSTAL_ADDRESS_BUSINESS_FULL(0xDD26, "PostalAddressBusinessFull", DataType.AUINT16),
  POSTAL_ADDRESS_BUSINESS_LINE1(0xDD27, "PostalAddressBusinessLine1", DataType.STR),
  POSTAL_ADDRESS_BUSINESS_LINE2(0xDD28, "PostalAddressBusinessLine2", DataType.STR),
  POSTAL_ADDRESS_BUSINESS_CITY(0xDD29, "PostalAddressBusinessCity", DataType.STR),
  POSTAL_ADDRESS_BUSINESS_REGION(0xDD2A, "PostalAddressBusinessRegion", DataType.STR),
  POSTAL_ADDRESS_BUSINESS_POSTAL_CODE(0xDD2B, "PostalAddressBusinessPostalCode", DataType.STR),
  POSTAL_ADDRESS_BUSINESS_COUNTRY(0xDD2C, "PostalAddressBusinessCountry", DataType.STR),
  POSTAL_ADDRESS_OTHER_FULL(0xDD2D, "PostalAddressOtherFull", DataType.AUINT16),
  POSTAL_ADDRESS_OTHER_LINE1(0xDD2E, "PostalAddressOtherLine1", DataType.STR),
  POSTAL_ADDRESS_OTHER_LINE2(0xDD2F, "PostalAddressOtherLine2", DataType.STR),
  POSTAL_ADDRESS_OTHER_CITY(0xDD30, "PostalAddressOtherCity", DataType.STR),
  POSTAL_ADDRESS_OTHER_REGION(0xDD31, "PostalAddressOtherRegion", DataType.STR),
  POSTAL_ADDRESS_OTHER_POSTAL_CODE(0xDD32, "PostalAddressOtherPostalCode", DataType.STR),
  POSTAL_ADDRESS_OTHER_COUNTRY(0xDD33, "PostalAddressOtherCountry", DataType.STR),
  ORGANIZATION_NAME(0xDD34, "OrganizationName", DataType.STR),
  PHONETIC_ORGANIZATION_NAME(0xDD35, "PhoneticOrganizationName", DataType.STR),
  ROLE(0xDD36, "Role", DataType.STR),
  BIRTHDATE(0xDD37, "Birthdate", DataType.STR),
  MESSAGE_TO(0xDD40, "MessageTo", DataType.AUINT16),
  MESSAGE_CC(0xDD41, "MessageCC", DataType.AUINT16),
  MESSAGE_BCC(0xDD42, "MessageBCC", DataType.AUINT16),
  MESSAGE_READ(0xDD43, "MessageRead", DataType.UINT16),
  MESSAGE_RECEIVED_TIME(0xDD44, "MessageReceivedTime", DataType.STR),
  MESSAGE_SENDER(0xDD45, "MessageSender", DataType.STR),
  ACTIVITY_BEGIN_TIME(0xDD50, "ActivityBeginTime", DataType.STR),
  ACTIVITY_END_TIME(0xDD51, "ActivityEndTime", DataType.STR),
  ACTIVITY_LOCATION(0xDD52, "ActivityLocation", DataType.STR),
  ACTIVITY_REQUIRED_ATTENDEES(0xDD54, "ActivityRequiredAttendees", DataType.AUINT16),
  ACTIVITY_OPTIONAL_ATTENDEES(0xDD55, "ActivityOptionalAttendees", DataType.AUINT16),
  ACTIVITY_RESOURCES(0xDD56, "ActivityResources", DataType.AUINT16),
  ACTIVITY_ACCEPTED(0xDD57, "ActivityAccepted", DataType.STR),
  OWNER(0xDD5D, "Owner", DataType.STR),
  EDITOR(0xDD5E, "Editor", DataType.STR),
  WEBMASTER(0xDD5F, "Webmaster", DataType.STR),
  URL_SOURCE(0xDD60, "URLSource", DataType.STR),
  URL_DESTINATION(0xDD61, "URLDestination", DataType.STR),
  TIME_BOOKMARK(0xDD62, "TimeBookmark", DataType.UINT32),
  OBJECT_BOOKMARK(0xDD63, "ObjectBookmark", DataType.UINT32),
  BYTE_BOOKMARK(0xDD64, "ByteBookmark", DataType.UINT64),
  LAST_BUILD_DATE(0xDD70, "LastBuildDate", DataType.STR),
  TIMETO_LIVE(0xDD71, "TimetoLive", DataType.UINT64),
  MEDIA_GUID(0xDD72, "MediaGUID", DataType.STR),
  TOTAL_BIT_RATE(0xDE91, "TotalBitRate", DataType.UINT32),
  BITRATE_TYPE(0xDE92, "BitrateType", DataType.UINT16),
  SAMPLE_RATE(0xDE93, "SampleRate", DataType.UINT32),
  NUMBER_OF_CHANNELS(0xDE94, "NumberOfChannels", DataType.UINT16),
  AUDIO_BIT_DEPTH(0xDE95, "AudioBitDepth", DataType.UINT32),
  SCAN_TYPE(0xDE97, "ScanType", DataType.UINT16),
  AUDIO_WAVE_CODEC(0xDE99, "AudioWAVECodec", DataType.UINT32),
  AUDIO_BIT_RATE(0xDE9A, "AudioBitRate", DataType.UINT32),
  VIDEO_FOUR_CC_CODEC(0xDE9B, "VideoFourCCCodec", DataType.UINT32),
  VIDEO_BIT_RATE(0xDE9C, "VideoBitRate", DataType.UINT32),
  FRAMES_PER_THOUSAND_SECONDS(0xDE9D, "FramesPerThousandSeconds", DataType.UINT32),
  KEY_FRAME_DISTANCE(0xDE9E, "KeyFrameDistance", DataType.UINT32),
  BUFFER_SIZE(0xDE9F, "BufferSize", DataType.UINT32),
  ENCODING_QUALITY(0xDEA0, "EncodingQuality", DataType.UINT32),
  ENCODING_PROFILE(0xDEA1, "EncodingProfile", DataType.STR),
  BUY_FLAG(0xD901, "BuyFlag", DataType.UINT8);

  private static final CodeTable<ObjectPropertyCode> TABLE = new CodeTable<>(values(), ObjectPropertyCode::value);

  private final int value;
  private final String wireName;
  private final DataType dataType;

  ObjectPropertyCode(int value, String wireName, DataType dataType) {
    this.value = value;
    this.wireName = wireName;
    this.dataType = dataType;
  }

  /** The 16-bit code on the wire. */
  public int value() { return value; }

  /** The name the specification uses, e.g. for logs. */
  public String wireName() { return wireName; }

  /** The data type of this property's values. */
  public DataType dataType() { return dataType; }

  /** The constant for a wire value, or null when the code is not one of ours. */
  public static ObjectPropertyCode of(int value) { return TABLE.of(value); }

  /** The name for a wire value; unknown codes read as {@code 0x%04X}. */
  public static String nameOf(int value) {
    ObjectPropertyCode c = of(value);
    return c != null ? c.wireName : CodeTable.hex(value);
  }

  @Override
  public String toString() { return wireName; }
}
