package io.vkv.watch;

import io.vkv.api.mvccpb.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A sink that records what it takes and refuses while full (or when told to at random). */
final class TestSink implements WatchSink {
  final List<WatchBatch> taken = new ArrayList<>();
  boolean full;
  BooleanSupplier refuse = () -> false;
  int refusals;

  @Override
  public boolean offer(WatchBatch batch) {
    if (full || refuse.getAsBoolean()) {
      refusals++;
      return false;
    }
    taken.add(batch);
    return true;
  }

  List<WatchBatch> batches(Watcher w) {
    return taken.stream().filter(b -> b.watcher() == w).toList();
  }

  List<Event> events(Watcher w) {
    List<Event> out = new ArrayList<>();
    for (WatchBatch b : batches(w)) {
      out.addAll(b.events());
    }
    return out;
  }

  List<Long> revisions(Watcher w) {
    return events(w).stream().map(e -> e.getKv().getModRevision()).toList();
  }
}
