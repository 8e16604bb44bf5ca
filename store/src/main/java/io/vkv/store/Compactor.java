package io.vkv.store;

import java.nio.ByteBuffer;
import org.lmdbjava.Txn;

/**
 * Physical compaction at revision C, synchronous, inside the batch's write transaction: every version with main
 * revision <= C is dropped from {@code history} unless it is its key's newest version at or below C and a put
 * (reads at C still need it). The {@link KeyIndex} names the versions and drops them itself once the transaction
 * commits.
 */
final class Compactor {
  private Compactor() {}

  static void compact(Tables t, Txn<ByteBuffer> txn, long revision) {
    t.keyIndex.compact(revision, (main, sub) -> t.history.delete(txn, Scratch.revision(main, sub)));
  }
}
