package io.vkv.client;

import com.google.protobuf.ByteString;
import io.vertx.core.buffer.Buffer;
import io.vkv.api.etcdserverpb.WatchCreateRequest;

/** What a watch covers and how, mirroring etcd's {@code WatchCreateRequest} fields (and etcdctl watch's flags). */
public final class WatchOptions {
  private boolean prefix;
  private ByteString rangeEnd = ByteString.EMPTY;
  private long startRevision;
  private boolean prevKv;
  private boolean noPut;
  private boolean noDelete;
  private boolean progressNotify;
  private boolean fragment;

  /** Every key that starts with the given key. */
  public WatchOptions prefix() {
    this.prefix = true;
    return this;
  }

  /** Every key in [key, rangeEnd). */
  public WatchOptions rangeEnd(Buffer rangeEnd) {
    this.rangeEnd = Bytes.of(rangeEnd);
    return this;
  }

  public WatchOptions rangeEnd(String rangeEnd) {
    this.rangeEnd = Bytes.of(rangeEnd);
    return this;
  }

  /** Every key greater than or equal to the given key. */
  public WatchOptions fromKey() {
    this.rangeEnd = Bytes.ALL_FROM_KEY;
    return this;
  }

  /**
   * The first revision to report, inclusive: past revisions are replayed from history (a compacted one ends the
   * watch with {@link WatchCompactedException}). 0, the default: changes after the watch is created.
   */
  public WatchOptions startRevision(long startRevision) {
    if (startRevision < 0) throw new IllegalArgumentException("startRevision must be >= 0");
    this.startRevision = startRevision;
    return this;
  }

  /** Each event also carries the key-value pair as it was before it. */
  public WatchOptions prevKv() {
    this.prevKv = true;
    return this;
  }

  /** Leave out puts (only deletions are reported). */
  public WatchOptions noPut() {
    this.noPut = true;
    return this;
  }

  /** Leave out deletions. */
  public WatchOptions noDelete() {
    this.noDelete = true;
    return this;
  }

  /**
   * Ask the server for periodic progress notifications while nothing happens on the range; they arrive as
   * {@link WatchEvents#isProgressNotify()} batches and move the revision a resumed watch starts from.
   */
  public WatchOptions progressNotify() {
    this.progressNotify = true;
    return this;
  }

  /** Let the server split very large responses; the client reassembles them before delivery. */
  public WatchOptions fragment() {
    this.fragment = true;
    return this;
  }

  /** The create request this describes (watch id 0: server-assigned). */
  public WatchCreateRequest toRequest(ByteString key) {
    WatchCreateRequest.Builder b = WatchCreateRequest.newBuilder()
        .setKey(key)
        .setRangeEnd(prefix ? Bytes.prefixEnd(key) : rangeEnd)
        .setStartRevision(startRevision)
        .setPrevKv(prevKv)
        .setProgressNotify(progressNotify)
        .setFragment(fragment);
    if (noPut) b.addFilters(WatchCreateRequest.FilterType.NOPUT);
    if (noDelete) b.addFilters(WatchCreateRequest.FilterType.NODELETE);
    return b.build();
  }
}
