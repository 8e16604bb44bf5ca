package io.vkv.store;

import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;

/**
 * A cursor over the key space as of one revision, in encoded-key order, one position per distinct key.
 * {@link VersionsAt} reads it from the key index and {@code history}.
 */
interface VersionSource extends AutoCloseable {
  /** Positions at the first key whose encoding is >= encoded; false if there is none. */
  boolean seek(byte[] encoded);

  /** Moves to the next distinct key; false at the end. */
  boolean next();

  /** The buffer holding the encoded key of the current position, in [keyOffset, keyOffset+keyLength). */
  ByteBuffer keyBuffer();

  int keyOffset();

  int keyLength();

  /** Whether the key exists (is not deleted) at this source's revision. */
  boolean live();

  /** The key's KeyValue at this source's revision; only when live(). */
  KeyValue value();

  @Override
  void close();

  default boolean isLongKey() {
    return KeyCodec.isLong(keyBuffer(), keyOffset(), keyLength());
  }

  default int compareKey(byte[] encoded) {
    return Bytes.compare(keyBuffer(), keyOffset(), keyLength(), encoded);
  }
}
