/**
 * The MVCC key space on LMDB: etcd v3 semantics for put, range, delete, txn and compaction, with
 * revisions, a consistent index stored in the same write transaction, history for watch catch-up,
 * and hash and snapshot support. {@link io.vkv.store.MvccStore} is the entry point; see docs/store.md.
 */
package io.vkv.store;
