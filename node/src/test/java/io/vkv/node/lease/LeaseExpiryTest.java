package io.vkv.node.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.api.internal.InternalRequest;
import io.vkv.node.apply.Proposer;
import io.vkv.store.ApplyResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rate limiting and batching of the leader's revokes and checkpoints, with a recording proposer and a hand clock. */
class LeaseExpiryTest {
  static final long S = TimeUnit.SECONDS.toNanos(1);

  long now = 1_000 * S;
  final Lessor lessor = new Lessor(() -> now, 0);
  final List<InternalRequest> proposed = new ArrayList<>();
  final List<CompletableFuture<ApplyResult>> pending = new ArrayList<>();
  final List<InternalRequest> proposedAsLeader = new ArrayList<>();
  final Proposer recorder = new Proposer() {
    @Override
    public CompletableFuture<ApplyResult> proposeAsLeader(InternalRequest request) {
      proposedAsLeader.add(request);
      return propose(request);
    }

    @Override
    public CompletableFuture<ApplyResult> propose(InternalRequest request) {
      proposed.add(request);
      CompletableFuture<ApplyResult> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }

    @Override
    public long appliedIndex() {
      return 0;
    }

    @Override
    public long lastIndex() {
      return 0;
    }

    @Override
    public long term() {
      return 1;
    }

    @Override
    public void close() {}
  };

  @Test
  void aMassExpiryIsRevokedAtTheConfiguredRate() {
    lessor.promote();
    for (long id = 1; id <= 10_000; id++) lessor.granted(id, 5);
    LeaseExpiry expiry = new LeaseExpiry(lessor, recorder, 1000);
    now += 5 * S;
    assertEquals(500, expiry.revokeExpired(now), "first run: half a second's burst");
    now += S / 10;
    assertEquals(100, expiry.revokeExpired(now), "then 1000/s");
    // nothing applied: at most one second's worth may be outstanding
    for (int i = 0; i < 20; i++) {
      now += S / 10;
      expiry.revokeExpired(now);
    }
    assertEquals(1000, expiry.unapplied());
    pending.forEach(f -> f.complete(null));
    now += S / 10;
    assertEquals(500, expiry.revokeExpired(now), "once applied: no more than the half-second burst");
    assertEquals(1500, proposed.size());
    assertEquals(InternalRequest.RequestCase.LEASE_REVOKE, proposed.get(0).getRequestCase());
  }

  @Test
  void revokesAreProposedOnlyAsTheLeader() {
    // a paused ex-leader waking up finds every lease expired: its revokes must not reach the new leader's log
    lessor.promote();
    for (long id = 1; id <= 3; id++) lessor.granted(id, 2);
    LeaseExpiry expiry = new LeaseExpiry(lessor, recorder, 1000);
    now += 10 * S;
    assertEquals(3, expiry.revokeExpired(now));
    assertEquals(3, proposedAsLeader.size());
    assertEquals(proposed, proposedAsLeader);
  }

  @Test
  void checkpointsGoInEntriesOfAThousand() {
    lessor.promote();
    for (long id = 1; id <= 2500; id++) lessor.granted(id, 100);
    now += 10 * S;
    assertEquals(2500, new LeaseExpiry(lessor, recorder, 1000).checkpoint());
    assertEquals(List.of(1000, 1000, 500),
        proposed.stream().map(r -> r.getLeaseCheckpoint().getCheckpointsCount()).toList());
  }
}
