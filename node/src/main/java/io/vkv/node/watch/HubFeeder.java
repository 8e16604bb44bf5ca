package io.vkv.node.watch;

import io.vkv.node.apply.AppliedListener;
import io.vkv.store.ApplyResult;
import io.vkv.watch.Committed;
import io.vkv.watch.WatchHub;
import java.util.ArrayList;
import java.util.List;

/** Hands each applied batch to the hub: one applied entry with events is one revision. Runs on the applier thread. */
final class HubFeeder implements AppliedListener {
  private final WatchHub hub;

  HubFeeder(WatchHub hub) {
    this.hub = hub;
  }

  @Override
  public void applied(List<ApplyResult> batch) {
    List<Committed> committed = null;
    for (ApplyResult r : batch) {
      if (r.events() == null || r.events().isEmpty()) continue; // failed, read-only or bookkeeping entries
      if (committed == null) committed = new ArrayList<>();
      committed.add(new Committed(r.revision(), r.events()));
    }
    if (committed != null) hub.onCommitted(committed);
  }
}
