package io.vkv.node.cluster;

import io.vertx.core.Vertx;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.internal.MemberAttributes;
import io.vkv.node.apply.Proposer;
import java.util.logging.Logger;

/**
 * Publishes this member's name and client URLs through the log once it serves clients, as etcd does after it
 * starts, so that every member's MemberList shows every member's client URLs (and keeps them across restarts:
 * the store records them). Retries until the entry is applied (a member may start before there is a leader).
 */
public final class AttributePublisher {
  private static final Logger LOG = Logger.getLogger(AttributePublisher.class.getName());

  private final Vertx vertx;
  private final Proposer proposer;
  private final MemberAttributes attributes;
  private final long retryMs;
  private volatile boolean stopped;
  private long timer = -1;

  public AttributePublisher(Vertx vertx, Proposer proposer, MemberAttributes attributes, long retryMs) {
    this.vertx = vertx;
    this.proposer = proposer;
    this.attributes = attributes;
    this.retryMs = retryMs;
  }

  public void start() {
    attempt();
  }

  private void attempt() {
    if (stopped) return;
    proposer.propose(InternalRequest.newBuilder().setMemberAttrSet(attributes).build()).whenComplete((r, e) -> {
      if (e == null && r.error() == null) {
        LOG.info(() -> String.format("published member %x's attributes %s %s", attributes.getMemberId(),
            attributes.getName(), attributes.getClientUrlsList()));
      } else if (!stopped) {
        LOG.fine(() -> "publishing this member's attributes failed, retrying: " + (e != null ? e : r.error()));
        synchronized (this) {
          if (!stopped) timer = vertx.setTimer(retryMs, t -> attempt());
        }
      }
    });
  }

  public synchronized void stop() {
    stopped = true;
    if (timer >= 0) vertx.cancelTimer(timer);
  }
}
