package io.mtpbridge.core.dataset;

import io.netty.buffer.ByteBuf;

/**
 * The StorageInfo dataset (GetStorageInfo).
 *
 * @param storageType a {@link io.mtpbridge.core.code.StorageType} value
 * @param filesystemType a {@link io.mtpbridge.core.code.FilesystemType} value
 * @param accessCapability a {@link io.mtpbridge.core.code.AccessCapability} value
 * @param maxCapacity total bytes (UINT64)
 * @param freeSpaceInBytes free bytes (UINT64)
 * @param freeSpaceInObjects free object slots (UINT32; 0xFFFFFFFF = not applicable)
 */
public record StorageInfo(int storageType, int filesystemType, int accessCapability, long maxCapacity,
    long freeSpaceInBytes, long freeSpaceInObjects, String storageDescription, String volumeIdentifier) {

  /** FreeSpaceInObjects value meaning "not limited by a count of objects". */
  public static final long FREE_OBJECTS_NOT_APPLICABLE = 0xFFFFFFFFL;

  public StorageInfo {
    Fields.u16(storageType, "StorageType");
    Fields.u16(filesystemType, "FilesystemType");
    Fields.u16(accessCapability, "AccessCapability");
    Fields.u32(freeSpaceInObjects, "FreeSpaceInObjects");
    Fields.str(storageDescription, "StorageDescription");
    Fields.str(volumeIdentifier, "VolumeIdentifier");
  }

  public int encodedLength() {
    return 2 + 2 + 2 + 8 + 8 + 4 + PtpString.encodedLength(storageDescription) + PtpString.encodedLength(volumeIdentifier);
  }

  public void encode(ByteBuf out) {
    out.ensureWritable(encodedLength());
    out.writeShortLE(storageType);
    out.writeShortLE(filesystemType);
    out.writeShortLE(accessCapability);
    out.writeLongLE(maxCapacity);
    out.writeLongLE(freeSpaceInBytes);
    out.writeIntLE((int) freeSpaceInObjects);
    PtpString.encode(storageDescription, out);
    PtpString.encode(volumeIdentifier, out);
  }

  public static StorageInfo decode(ByteBuf in) throws MalformedDatasetException {
    int storageType = Wire.u16(in, "StorageType");
    int filesystemType = Wire.u16(in, "FilesystemType");
    int accessCapability = Wire.u16(in, "AccessCapability");
    long maxCapacity = Wire.u64(in, "MaxCapacity");
    long freeBytes = Wire.u64(in, "FreeSpaceInBytes");
    long freeObjects = Wire.u32AsLong(in, "FreeSpaceInObjects");
    String description = PtpString.decode(in);
    String volume = PtpString.decode(in);
    return new StorageInfo(storageType, filesystemType, accessCapability, maxCapacity, freeBytes, freeObjects, description, volume);
  }
}
