package io.vkv.store;

/**
 * A key-space hash with the revisions it belongs to, read in one transaction (etcd's HashByRev): the hash of the
 * history up to the asked revision, this store's current revision and its compacted revision at that moment (-1
 * when the store was never compacted, as etcd reports it).
 */
public record KvHash(int hash, long currentRevision, long compactRevision) {}
