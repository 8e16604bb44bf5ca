package io.vkv.store;

import io.vkv.api.EtcdException;

/**
 * An entry failed after it had already written (e.g. a txn put with ignore_value on a key an earlier op of the
 * same txn deleted). LMDB cannot undo part of a transaction, so the batch is redone with this entry failed up
 * front. Rare by construction: entries are validated before they write.
 */
final class PartialWriteException extends RuntimeException {
  final EtcdException error;

  PartialWriteException(EtcdException error) {
    super(error.getMessage(), null, false, false);
    this.error = error;
  }
}
