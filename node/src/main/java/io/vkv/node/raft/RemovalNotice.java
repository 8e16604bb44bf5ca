package io.vkv.node.raft;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * Tells the listeners, once, that this member has been removed from the cluster (it applied its own removal, a
 * snapshot recorded it, or a peer told it so). Loop thread only, apart from adding listeners.
 */
final class RemovalNotice {
  private static final Logger LOG = Logger.getLogger(RemovalNotice.class.getName());

  private final long localId;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private boolean reported;

  RemovalNotice(long localId) {
    this.localId = localId;
  }

  void listen(Runnable listener) {
    listeners.add(listener);
  }

  void report() {
    if (reported) return;
    reported = true;
    LOG.severe(() -> String.format("member %x: the member has been permanently removed from the cluster", localId));
    listeners.forEach(Runnable::run);
  }
}
