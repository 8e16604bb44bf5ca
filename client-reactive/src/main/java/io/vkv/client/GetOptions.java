package io.vkv.client;

import com.google.protobuf.ByteString;
import io.vertx.core.buffer.Buffer;
import io.vkv.api.etcdserverpb.RangeRequest;

/** What a range read returns, mirroring etcd's {@code RangeRequest} fields (and etcdctl get's flags). */
public final class GetOptions {
  private boolean prefix;
  private ByteString rangeEnd = ByteString.EMPTY;
  private long limit;
  private long revision;
  private RangeRequest.SortTarget sortTarget = RangeRequest.SortTarget.KEY;
  private RangeRequest.SortOrder sortOrder = RangeRequest.SortOrder.NONE;
  private boolean serializable;
  private boolean keysOnly;
  private boolean countOnly;
  private long minModRevision;
  private long maxModRevision;
  private long minCreateRevision;
  private long maxCreateRevision;

  /** Every key that starts with the given key. */
  public GetOptions prefix() {
    this.prefix = true;
    return this;
  }

  /** Every key in [key, rangeEnd). */
  public GetOptions rangeEnd(Buffer rangeEnd) {
    this.rangeEnd = Bytes.of(rangeEnd);
    return this;
  }

  public GetOptions rangeEnd(String rangeEnd) {
    this.rangeEnd = Bytes.of(rangeEnd);
    return this;
  }

  /** Every key greater than or equal to the given key. */
  public GetOptions fromKey() {
    this.rangeEnd = Bytes.ALL_FROM_KEY;
    return this;
  }

  /** At most this many keys; 0: no limit. */
  public GetOptions limit(long limit) {
    this.limit = limit;
    return this;
  }

  /** Read at this store revision; 0: the current one. */
  public GetOptions revision(long revision) {
    this.revision = revision;
    return this;
  }

  public GetOptions sort(RangeRequest.SortTarget target, RangeRequest.SortOrder order) {
    this.sortTarget = target;
    this.sortOrder = order;
    return this;
  }

  /** Served by the contacted member without a consensus round: may be stale. */
  public GetOptions serializable() {
    this.serializable = true;
    return this;
  }

  public GetOptions keysOnly() {
    this.keysOnly = true;
    return this;
  }

  public GetOptions countOnly() {
    this.countOnly = true;
    return this;
  }

  public GetOptions modRevisionBetween(long min, long max) {
    this.minModRevision = min;
    this.maxModRevision = max;
    return this;
  }

  public GetOptions createRevisionBetween(long min, long max) {
    this.minCreateRevision = min;
    this.maxCreateRevision = max;
    return this;
  }

  /** The request this describes, for callers that prepare one and send it many times. */
  public RangeRequest toRequest(ByteString key) {
    return RangeRequest.newBuilder()
        .setKey(key)
        .setRangeEnd(prefix ? Bytes.prefixEnd(key) : rangeEnd)
        .setLimit(limit)
        .setRevision(revision)
        .setSortTarget(sortTarget)
        .setSortOrder(sortOrder)
        .setSerializable(serializable)
        .setKeysOnly(keysOnly)
        .setCountOnly(countOnly)
        .setMinModRevision(minModRevision)
        .setMaxModRevision(maxModRevision)
        .setMinCreateRevision(minCreateRevision)
        .setMaxCreateRevision(maxCreateRevision)
        .build();
  }
}
