package io.vkv.client;

import com.google.protobuf.ByteString;
import io.vertx.core.buffer.Buffer;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;

/** Mirrors etcd's {@code DeleteRangeRequest}: which keys, and whether to return what was deleted. */
public final class DeleteOptions {
  private boolean prefix;
  private ByteString rangeEnd = ByteString.EMPTY;
  private boolean prevKv;

  public DeleteOptions prefix() {
    this.prefix = true;
    return this;
  }

  public DeleteOptions rangeEnd(Buffer rangeEnd) {
    this.rangeEnd = Bytes.of(rangeEnd);
    return this;
  }

  public DeleteOptions rangeEnd(String rangeEnd) {
    this.rangeEnd = Bytes.of(rangeEnd);
    return this;
  }

  public DeleteOptions fromKey() {
    this.rangeEnd = Bytes.ALL_FROM_KEY;
    return this;
  }

  public DeleteOptions prevKv() {
    this.prevKv = true;
    return this;
  }

  /** The request this describes, for callers that prepare one and send it many times. */
  public DeleteRangeRequest toRequest(ByteString key) {
    return DeleteRangeRequest.newBuilder()
        .setKey(key)
        .setRangeEnd(prefix ? Bytes.prefixEnd(key) : rangeEnd)
        .setPrevKv(prevKv)
        .build();
  }
}
