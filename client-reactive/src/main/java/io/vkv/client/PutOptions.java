package io.vkv.client;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.PutRequest;

/** Mirrors etcd's {@code PutRequest} flags. */
public final class PutOptions {
  private long lease;
  private boolean prevKv;
  private boolean ignoreValue;
  private boolean ignoreLease;

  /** Attach the key to this lease id; 0: none. */
  public PutOptions lease(long lease) {
    this.lease = lease;
    return this;
  }

  /** Return the key-value pair as it was before this put. */
  public PutOptions prevKv() {
    this.prevKv = true;
    return this;
  }

  /** Keep the current value (only the lease changes); the value given must be empty. */
  public PutOptions ignoreValue() {
    this.ignoreValue = true;
    return this;
  }

  /** Keep the current lease; no lease may be given. */
  public PutOptions ignoreLease() {
    this.ignoreLease = true;
    return this;
  }

  /** The request this describes, for callers that prepare one and send it many times. */
  public PutRequest toRequest(ByteString key, ByteString value) {
    return PutRequest.newBuilder()
        .setKey(key)
        .setValue(value)
        .setLease(lease)
        .setPrevKv(prevKv)
        .setIgnoreValue(ignoreValue)
        .setIgnoreLease(ignoreLease)
        .build();
  }
}
