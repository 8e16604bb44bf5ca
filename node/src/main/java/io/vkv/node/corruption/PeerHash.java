package io.vkv.node.corruption;

import io.vkv.api.etcdserverpb.HashKVResponse;

/**
 * What one member answered when asked for its hash: its response, or why there is none (the name of the etcd error
 * it answered, e.g. FUTURE_REV or COMPACTED, or why it could not be asked).
 *
 * @param memberId the member asked
 */
public record PeerHash(long memberId, HashKVResponse response, String failure) {
  static PeerHash answered(long memberId, HashKVResponse response) {
    return new PeerHash(memberId, response, null);
  }

  static PeerHash failed(long memberId, String failure) {
    return new PeerHash(memberId, null, failure);
  }
}
