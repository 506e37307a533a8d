package io.mtpbridge.core.property;

import io.mtpbridge.core.responder.ObjectNode;
import io.mtpbridge.core.storage.ObjectMetadata;

/**
 * An object as properties see it: its node (handle, storage, parent), fresh metadata, and the
 * format code the responder settled on.
 */
public record ObjectView(ObjectNode node, ObjectMetadata metadata, int formatCode) {}
