package io.vkv.watch;

/**
 * A {@link WatchSink} that bounds a stream's buffered bytes, not its event count: batches are
 * taken while the bytes handed out and not yet written stay within the budget (an empty stream
 * always takes one batch, so a batch larger than the budget still gets through).
 *
 * <p>Streams of one hub also share a {@link SharedBudget}: past it, every stream is refused, empty or not.
 *
 * <p>The node extends it per gRPC stream: {@link #send} queues the batch for its event loop, and
 * when the write completes the node calls {@link #written}; if that returns true the node calls
 * {@link WatchHub#onWritable(WatchSink)} so parked watchers are retried at once.
 */
public abstract class BudgetedSink implements WatchSink {
  private final long budgetBytes;
  private final SharedBudget shared;
  private long inFlight;
  private boolean refused;

  /** A sink with a budget of its own only. */
  protected BudgetedSink(long budgetBytes) {
    this(budgetBytes, new SharedBudget(Long.MAX_VALUE));
  }

  protected BudgetedSink(long budgetBytes, SharedBudget shared) {
    if (budgetBytes < 1) {
      throw new IllegalArgumentException("budget must be positive");
    }
    this.budgetBytes = budgetBytes;
    this.shared = shared;
  }

  @Override
  public final boolean offer(WatchBatch batch) {
    synchronized (this) {
      if (inFlight > 0 && inFlight + batch.bytes() > budgetBytes || !shared.take(batch.bytes())) {
        refused = true;
        return false;
      }
      inFlight += batch.bytes();
    }
    send(batch);
    return true;
  }

  /** Hands the batch to the stream without blocking; called in the hub's delivery order. */
  protected abstract void send(WatchBatch batch);

  /**
   * The batch's bytes have left the process. Returns true when something was refused since the
   * last such signal and there is room again: the caller should then call the hub's onWritable.
   */
  public final synchronized boolean written(WatchBatch batch) {
    inFlight -= batch.bytes();
    shared.release(batch.bytes());
    if (refused && inFlight < budgetBytes) {
      refused = false;
      return true;
    }
    return false;
  }

  public final synchronized long bytesInFlight() {
    return inFlight;
  }
}
