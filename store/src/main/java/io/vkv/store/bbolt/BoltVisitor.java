package io.vkv.store.bbolt;

import java.io.IOException;

/** Receives a bucket's entries in key order. */
@FunctionalInterface
public interface BoltVisitor {
  /**
   * @param value the value, or for a nested bucket ({@code bucket} true) its header, to open with
   *     {@link BoltReader#bucket(BoltBucket, byte[])}
   */
  void visit(byte[] key, byte[] value, boolean bucket) throws IOException;
}
