package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.v3lockpb.LockResponse;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Lock and Unlock against each server kind with the Lock service: one holder at a time, waiters in order. */
class LockClientTest {
  private static final SharedClusters SHARED = new SharedClusters();

  @AfterAll
  static void stop() {
    SHARED.close();
  }

  /** Waits until {@code n} owners or waiters are queued under the lock {@code name} (each is a key {@code name/lease}). */
  private static void awaitQueued(VkvClient client, String name, int n) {
    Wait.until(Duration.ofSeconds(20), () -> n + " keys under " + name + "/",
        () -> Await.result(client.kv().get(name + "/", new GetOptions().prefix().countOnly())).getCount() == n);
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lockAndElection")
  void aSecondLockerWaitsUntilTheFirstUnlocks(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    long a = Await.result(client.lease().grant(30)).getID();
    long b = Await.result(client.lease().grant(30)).getID();
    LockResponse first = Await.result(client.lock().lock("lock1", a));
    assertTrue(first.getKey().toStringUtf8().startsWith("lock1/"), first.getKey().toStringUtf8());
    assertEquals(1, Await.result(client.kv().get(first.getKey().toStringUtf8())).getCount());

    Future<LockResponse> second = client.lock().lock("lock1", b);
    awaitQueued(client, "lock1", 2); // the second waiter reached the server
    assertFalse(second.isComplete(), "acquired while the first holder still holds it");

    Await.result(client.lock().unlock(first.getKey()));
    LockResponse got = Await.result(second);
    assertNotEquals(first.getKey(), got.getKey());
    assertEquals(0, Await.result(client.kv().get(first.getKey().toStringUtf8())).getCount());
    Await.result(client.lock().unlock(got.getKey()));
    awaitQueued(client, "lock1", 0);
    Await.result(client.lease().revoke(a));
    Await.result(client.lease().revoke(b));
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lockAndElection")
  void revokingTheHoldersLeaseReleasesTheLock(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    long a = Await.result(client.lease().grant(30)).getID();
    long b = Await.result(client.lease().grant(30)).getID();
    Await.result(client.lock().lock("lock2", a));
    Future<LockResponse> second = client.lock().lock("lock2", b);
    awaitQueued(client, "lock2", 2);
    Await.result(client.lease().revoke(a));
    assertTrue(Await.result(second).getKey().toStringUtf8().startsWith("lock2/"));
    Await.result(client.lease().revoke(b));
    awaitQueued(client, "lock2", 0);
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lockAndElection")
  void aLockWithATimeoutGivesUp(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    long a = Await.result(client.lease().grant(30)).getID();
    long b = Await.result(client.lease().grant(30)).getID();
    LockResponse held = Await.result(client.lock().lock("lock3", a));
    long start = System.nanoTime();
    VkvException e = Await.failure(client.lock().lock("lock3", b, Duration.ofMillis(500)));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, e.status());
    assertTrue(System.nanoTime() - start >= 450_000_000L, "waited for the timeout");
    Await.result(client.lock().unlock(held.getKey()));
    Await.result(client.lease().revoke(a));
    Await.result(client.lease().revoke(b));
    awaitQueued(client, "lock3", 0);
  }

  /** etcd deletes the waiter's key when the caller gives up, so it never holds the lock with no one behind it. */
  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lockAndElection")
  void theServerDropsTheWaiterOfALockThatTimedOut(ServerKind kind) {
    VkvClient client = SHARED.client(kind);
    long a = Await.result(client.lease().grant(30)).getID();
    long b = Await.result(client.lease().grant(30)).getID();
    LockResponse held = Await.result(client.lock().lock("lock5", a));
    assertEquals(GrpcStatus.DEADLINE_EXCEEDED, Await.failure(client.lock().lock("lock5", b, Duration.ofMillis(500))).status());
    awaitQueued(client, "lock5", 1);
    Await.result(client.lock().unlock(held.getKey()));
    Await.result(client.lease().revoke(a));
    Await.result(client.lease().revoke(b));
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lockAndElection")
  void lockingWithAnUnknownLeaseFailsWithEtcdsMessage(ServerKind kind) {
    VkvException e = Await.failure(SHARED.client(kind).lock().lock("lock4", 0x5eed_0000_0002L, Duration.ofSeconds(5)));
    assertEquals("etcdserver: requested lease not found", e.getMessage());
  }

  /** etcd's lock server hands the KV layer's error back as a plain error: status UNKNOWN. */
  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#lockAndElection")
  void lockingWithAnUnknownLeaseIsUnknown(ServerKind kind) {
    VkvException e = Await.failure(SHARED.client(kind).lock().lock("lock6", 0x5eed_0000_0003L, Duration.ofSeconds(5)));
    assertEquals(GrpcStatus.UNKNOWN, e.status(), e.status() + ": " + e.getMessage());
  }
}
