package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.LeaseGrantResponse;
import io.vkv.api.etcdserverpb.LeaseStatus;
import io.vkv.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Lease call and the keep-alive's renewals, lost event and close, against each server kind that has leases. */
class LeaseClientTest {
  private static final SharedClusters SHARED = new SharedClusters();

  @AfterAll
  static void stop() {
    SHARED.close();
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lease")
  void grantTimeToLiveLeasesAndRevokeDeletesTheKeys(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    LeaseGrantResponse grant = Await.result(client.lease().grant(30));
    long id = grant.getID();
    assertTrue(id != 0);
    assertEquals(30, grant.getTTL());
    Await.result(client.kv().put("lease1/a", "x", new PutOptions().lease(id)));
    Await.result(client.kv().put("lease1/b", "y", new PutOptions().lease(id)));

    LeaseTimeToLiveResponse ttl = Await.result(client.lease().timeToLive(id, true));
    assertEquals(30, ttl.getGrantedTTL());
    assertTrue(ttl.getTTL() > 0 && ttl.getTTL() <= 30, "remaining " + ttl.getTTL());
    assertEquals(2, ttl.getKeysCount());
    assertTrue(Await.result(client.lease().timeToLive(id, false)).getKeysList().isEmpty());
    assertTrue(Await.result(client.lease().leases()).getLeasesList().stream().map(LeaseStatus::getID).anyMatch(l -> l == id));

    assertEquals(30, Await.result(client.lease().keepAliveOnce(id)).getTTL());

    Await.result(client.lease().revoke(id));
    assertEquals(0, Await.result(client.kv().get("lease1/", new GetOptions().prefix().countOnly())).getCount());
    assertEquals(-1, Await.result(client.lease().timeToLive(id, false)).getTTL());
    assertFalse(Await.result(client.lease().leases()).getLeasesList().stream().map(LeaseStatus::getID).anyMatch(l -> l == id));
    assertEquals(EtcdError.LEASE_NOT_FOUND, Await.failure(client.lease().keepAliveOnce(id)).etcdError().orElseThrow());
    assertEquals(EtcdError.LEASE_NOT_FOUND, Await.failure(client.lease().revoke(id)).etcdError().orElseThrow());
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lease")
  void grantWithAnIdAndTheErrorsEtcdGives(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    long id = 0x7e57_0000L + kind.ordinal();
    assertEquals(id, Await.result(client.lease().grant(20, id)).getID());
    assertEquals(EtcdError.LEASE_EXIST, Await.failure(client.lease().grant(20, id)).etcdError().orElseThrow());
    assertEquals(EtcdError.LEASE_NOT_FOUND,
        Await.failure(client.kv().put("lease2/k", "v", new PutOptions().lease(id + 1))).etcdError().orElseThrow());
    Await.result(client.lease().revoke(id));
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lease")
  void keepAliveHoldsAShortLeasePastItsTtl(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    long id = Await.result(client.lease().grant(2)).getID();
    long granted = System.nanoTime();
    Await.result(client.kv().put("lease3/k", "v", new PutOptions().lease(id)));
    LeaseKeepAlive keepAlive = client.lease().keepAlive(id);
    KeepAliveRecorder r = KeepAliveRecorder.of(keepAlive);
    // a renewal every TTL/3: past three TTLs, the lease lives only because of them
    Wait.until(Duration.ofSeconds(20), () -> "renewals " + r.renewals.size(),
        () -> System.nanoTime() - granted > TimeUnit.SECONDS.toNanos(6) || r.error.get() != null);
    assertNull(r.error.get());
    assertTrue(r.renewals.size() >= 5, "renewals: " + r.renewals.size());
    assertTrue(r.renewals.stream().allMatch(x -> x.getID() == id && x.getTTL() == 2));
    assertEquals(2, keepAlive.ttl());
    assertEquals(1, Await.result(client.kv().get("lease3/k")).getCount());
    assertTrue(Await.result(client.lease().timeToLive(id, false)).getTTL() > 0);

    Await.result(keepAlive.close());
    assertTrue(r.ended.get());
    Await.result(keepAlive.done());
    // no more keep-alives: the lease expires on its own and takes its key along
    // (a server may report TTL -1 for an expired lease a moment before the revoke that deletes its keys is applied)
    Wait.until(Duration.ofSeconds(20), "lease or its key still alive after close",
        () -> Await.result(client.lease().timeToLive(id, false)).getTTL() == -1
            && Await.result(client.kv().get("lease3/k")).getCount() == 0);
    assertNull(r.error.get());
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lease")
  void aLeaseRevokedElsewhereIsReportedLost(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    long id = Await.result(client.lease().grant(3)).getID();
    LeaseKeepAlive keepAlive = client.lease().keepAlive(id);
    KeepAliveRecorder r = KeepAliveRecorder.of(keepAlive);
    r.awaitRenewals(1);
    VkvClient other = SHARED.cluster(kind).client();
    try {
      Await.result(other.lease().revoke(id));
    } finally {
      Await.result(other.close());
    }
    LeaseLostException lost = r.awaitLost();
    assertEquals(LeaseLostException.Reason.EXPIRED_OR_REVOKED, lost.reason());
    assertEquals(id, lost.leaseId());
    LeaseLostException fromFuture = (LeaseLostException) Await.failure(keepAlive.done());
    assertEquals(LeaseLostException.Reason.EXPIRED_OR_REVOKED, fromFuture.reason());
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lease")
  void keepAliveOfAnUnknownLeaseIsLostAtOnce(ServerKind kind) {
    LeaseKeepAlive keepAlive = SHARED.client(kind).lease().keepAlive(0x5eed_0000_0001L);
    LeaseLostException lost = (LeaseLostException) Await.failure(keepAlive.done());
    assertEquals(LeaseLostException.Reason.EXPIRED_OR_REVOKED, lost.reason());
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lease")
  void aPausedKeepAliveStillRenewsAndKeepsOnlyTheLatestRenewal(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    long id = Await.result(client.lease().grant(2)).getID();
    long granted = System.nanoTime();
    LeaseKeepAlive keepAlive = client.lease().keepAlive(id);
    KeepAliveRecorder r = KeepAliveRecorder.of(keepAlive.pause());
    Wait.until(Duration.ofSeconds(20), () -> "renewals " + r.renewals.size(),
        () -> System.nanoTime() - granted > TimeUnit.SECONDS.toNanos(5) || r.error.get() != null);
    assertTrue(r.renewals.isEmpty(), "nothing delivered while paused");
    assertEquals(2, keepAlive.ttl(), "renewed while paused");
    assertTrue(Await.result(client.lease().timeToLive(id, false)).getTTL() > 0, "alive past twice its TTL");
    keepAlive.fetch(1);
    r.awaitRenewals(1);
    assertEquals(1, r.renewals.size());
    Await.result(keepAlive.close());
    Await.result(client.lease().revoke(id));
  }
}
