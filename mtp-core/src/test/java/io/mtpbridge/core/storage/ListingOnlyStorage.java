package io.mtpbridge.core.storage;

import java.nio.channels.ReadableByteChannel;

/**
 * A storage for tests of the object index: it only lists. Anything else the code under test asks
 * of it fails loudly, so such a test cannot pass while the index quietly starts reading or
 * stat'ing behind its back.
 */
public abstract class ListingOnlyStorage implements Storage {
  @Override public StorageDetails details() { throw new UnsupportedOperationException("this test storage only lists"); }

  @Override public ObjectMetadata stat(ObjectPath p) { throw new UnsupportedOperationException("this test storage only lists"); }

  @Override public ReadableByteChannel openRead(ObjectPath p, long o) { throw new UnsupportedOperationException("this test storage only lists"); }
}
