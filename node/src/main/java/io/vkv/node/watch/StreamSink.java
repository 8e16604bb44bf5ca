package io.vkv.node.watch;

import io.vertx.core.Context;
import io.vkv.watch.BudgetedSink;
import io.vkv.watch.SharedBudget;
import io.vkv.watch.WatchBatch;

/**
 * The hub's view of one Watch stream: takes batches within the stream's byte budget and hands them to the
 * stream's event loop, behind the created response already written there.
 */
final class StreamSink extends BudgetedSink {
  private final Context context;
  private final WatchStream stream;

  StreamSink(long budgetBytes, SharedBudget shared, Context context, WatchStream stream) {
    super(budgetBytes, shared);
    this.context = context;
    this.stream = stream;
  }

  @Override
  protected void send(WatchBatch batch) {
    context.runOnContext(v -> stream.deliver(batch));
  }
}
