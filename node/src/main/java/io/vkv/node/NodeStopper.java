package io.vkv.node;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Closes a node at most once, waiting a bounded time, whichever of a signal or a shutdown hook asks first. */
final class NodeStopper {
  private static final Logger LOG = Logger.getLogger(NodeStopper.class.getName());
  private final VkvNode node;
  private boolean stopped;

  NodeStopper(VkvNode node) {
    this.node = node;
  }

  synchronized void stop() {
    if (stopped) return;
    stopped = true;
    try {
      node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "vkv: the node did not stop cleanly", e);
    } catch (Throwable t) {
      LOG.log(Level.SEVERE, "vkv: stopping failed", t);
    }
  }
}
