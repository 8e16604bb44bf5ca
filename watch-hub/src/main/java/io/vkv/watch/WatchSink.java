package io.vkv.watch;

/**
 * Where the hub hands a watcher's events: the node implements one per gRPC Watch stream.
 *
 * <p>{@link #offer} is called with the hub's lock held, from the applier thread or the
 * scheduler, so it must be quick, must not block and must not call back into the hub. It should
 * hand the batch to the stream's event loop (which also preserves order relative to the
 * {@code created} response written there). When a sink that refused can accept again, the node
 * calls {@link WatchHub#onWritable(WatchSink)}; {@link BudgetedSink} does the byte accounting.
 */
public interface WatchSink {

  /**
   * Takes the batch, or returns false when the stream's buffer is full. A refused batch stays
   * with the hub, which retries it later; the sink must not keep it.
   */
  boolean offer(WatchBatch batch);
}
