package io.vkv.node.lease;

import io.vkv.api.etcdserverpb.LeaseCheckpoint;
import io.vkv.api.internal.InternalRequest;
import io.vkv.node.apply.EntryListener;
import io.vkv.store.ApplyResult;

/** Keeps a {@link Lessor} in step with the applied lease entries (grant, revoke, checkpoint) on every member. */
public final class LessorFeeder implements EntryListener {
  private final Lessor lessor;

  public LessorFeeder(Lessor lessor) {
    this.lessor = lessor;
  }

  @Override
  public void applied(InternalRequest r, ApplyResult result) {
    switch (r.getRequestCase()) {
      case LEASE_GRANT -> lessor.granted(r.getLeaseGrant().getID(), r.getLeaseGrant().getTTL());
      case LEASE_REVOKE -> lessor.revoked(r.getLeaseRevoke().getID());
      case LEASE_CHECKPOINT -> {
        for (LeaseCheckpoint c : r.getLeaseCheckpoint().getCheckpointsList()) {
          lessor.checkpointed(c.getID(), c.getRemainingTTL());
        }
      }
      default -> { }
    }
  }
}
