package io.vkv.client;

import static io.vkv.client.AuthFixture.assertFails;
import static io.vkv.client.AuthFixture.authentications;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.authpb.Permission;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.v3electionpb.LeaderKey;
import io.vkv.api.v3lockpb.LockResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client with a user and password: its token on every call and stream, one Authenticate for many first calls,
 * and a new token when the server refuses the old one (auth store changed, token dropped by a restart or by
 * disabling auth). Alice may read and write under "a/", "lock/" and "election/"; nothing else.
 */
class AuthTokenTest {
  private static final String DENIED = "etcdserver: permission denied";
  private TestCluster cluster;
  private VkvClient anonymous;
  private VkvClient root;
  private VkvClient alice;

  /** Auth enabled with root and alice; alice's client has not called anything yet. */
  private void start(ServerKind kind) {
    cluster = kind.start(1);
    anonymous = AuthFixture.client(cluster, null, null);
    root = AuthFixture.enableAuth(cluster, anonymous);
    AuthClient auth = root.auth();
    Await.result(auth.userAdd("alice", "alice-pw"));
    Await.result(auth.roleAdd("app"));
    for (String prefix : List.of("a/", "lock/", "election/")) {
      Await.result(auth.roleGrantPermissionPrefix("app", Permission.Type.READWRITE, prefix));
    }
    Await.result(auth.userGrantRole("alice", "app"));
    alice = AuthFixture.client(cluster, "alice", "alice-pw");
  }

  @AfterEach
  void stop() {
    AuthFixture.close(alice, root, anonymous);
    if (cluster != null) cluster.close();
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void aUserReadsAndWritesWithinItsRoleOnly(ServerKind kind) {
    start(kind);
    Await.result(alice.kv().put("a/1", "one"));
    assertEquals("one", Await.result(alice.kv().get("a/1")).getKvs(0).getValue().toStringUtf8());
    assertEquals(1, Await.result(alice.kv().get("a/", new GetOptions().prefix())).getCount());
    assertFails(alice.kv().put("b", "x"), GrpcStatus.PERMISSION_DENIED, DENIED);
    assertFails(alice.kv().get("b"), GrpcStatus.PERMISSION_DENIED, DENIED);
    assertFails(alice.kv().get("a", new GetOptions().prefix()), GrpcStatus.PERMISSION_DENIED, DENIED);
    assertFails(alice.kv().delete("b"), GrpcStatus.PERMISSION_DENIED, DENIED);
    Await.result(alice.kv().delete("a/1"));
    assertEquals(1, authentications(alice));
    assertEquals(0, Await.result(root.kv().get("b")).getCount());
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void aWrongPasswordIsTheServersErrorAndNotRetried(ServerKind kind) {
    start(kind);
    VkvClient wrong = AuthFixture.client(cluster, "alice", "not-her-password");
    try {
      for (int i = 1; i <= 2; i++) {
        assertFails(wrong.kv().get("a/1"), GrpcStatus.INVALID_ARGUMENT,
            "etcdserver: authentication failed, invalid user ID or password");
        assertEquals(i, authentications(wrong), "one Authenticate per call");
      }
    } finally {
      AuthFixture.close(wrong);
    }
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void concurrentFirstCallsShareOneAuthenticate(ServerKind kind) {
    start(kind);
    List<Future<RangeResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) calls.add(alice.kv().get("a/" + i));
    for (Future<RangeResponse> f : calls) assertEquals(0, Await.result(f).getCount());
    assertEquals(1, authentications(alice));
  }

  /**
   * A grant applies to the user's next call. etcd's simple tokens carry no auth revision, so the token stays valid;
   * with JWT tokens the call is refused as "old" and the client re-authenticates ({@link AuthJwtTokenTest}).
   */
  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void anAuthStoreChangeAppliesToTheNextCall(ServerKind kind) {
    start(kind);
    Await.result(alice.kv().put("a/1", "one"));
    assertFails(alice.kv().put("b/1", "x"), GrpcStatus.PERMISSION_DENIED, DENIED);
    Await.result(root.auth().roleGrantPermissionPrefix("app", Permission.Type.READWRITE, "b/"));
    Await.result(alice.kv().put("b/1", "granted now"));
    assertEquals(1, Await.result(root.kv().get("b/1")).getCount());
  }

  /** Disabling auth drops every token; once enabled again the old one is unknown (UNAUTHENTICATED). */
  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void aDroppedTokenIsReplaced(ServerKind kind) {
    start(kind);
    Await.result(alice.kv().get("a/1"));
    Await.result(root.auth().authDisable());
    Await.result(root.auth().authEnable());
    Await.result(alice.kv().get("a/1"));
    assertEquals(2, authentications(alice));
  }

  /** As etcd's Go client: credentials for a server without auth are not an error; enabling auth later is. */
  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void withoutAuthEnabledCallsGoWithoutAToken(ServerKind kind) {
    cluster = kind.start(1);
    anonymous = AuthFixture.client(cluster, null, null);
    Await.result(anonymous.auth().userAdd("alice", "alice-pw"));
    alice = AuthFixture.client(cluster, "alice", "alice-pw");
    Await.result(alice.kv().put("k", "v"));
    Await.result(alice.kv().get("k"));
    assertEquals(1, authentications(alice));

    root = AuthFixture.enableAuth(cluster, anonymous);
    // alice sends no token, the server says "user name is empty": she authenticates and is now just alice
    assertFails(alice.kv().get("k"), GrpcStatus.PERMISSION_DENIED, DENIED);
    assertEquals(2, authentications(alice));
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void aWatchWithCredentialsReceivesEventsAcrossARestart(ServerKind kind) {
    start(kind);
    Watch watch = alice.watch().watch("a/", new WatchOptions().prefix());
    WatchRecorder events = WatchRecorder.of(watch);
    Await.result(watch.created());
    Await.result(alice.kv().put("a/1", "one"));
    events.awaitEvents(1);

    cluster.kill(0);
    cluster.start(0); // etcd keeps simple tokens in memory: the watch's token is gone
    Await.result(alice.kv().put("a/2", "two"));
    events.awaitEvents(2);
    assertEquals(List.of("a/1", "a/2"), events.keys());
    Await.result(watch.cancel());
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void leasesLocksAndElectionsWithCredentials(ServerKind kind) {
    start(kind);
    long lease = Await.result(alice.lease().grant(30)).getID();
    LeaseKeepAlive keepAlive = alice.lease().keepAlive(lease);
    KeepAliveRecorder renewals = KeepAliveRecorder.of(keepAlive);
    renewals.awaitRenewals(1);
    LockResponse held = Await.result(alice.lock().lock("lock/one", lease));
    assertTrue(held.getKey().toStringUtf8().startsWith("lock/one/"));
    assertFails(alice.lock().lock("elsewhere", lease), GrpcStatus.UNKNOWN, DENIED);
    Await.result(alice.lock().unlock(held.getKey()));
    LeaderKey leader = Await.result(alice.election().campaign("election/e", lease, "me")).getLeader();
    assertEquals("me", Await.result(alice.election().leader("election/e")).getKv().getValue().toStringUtf8());
    Await.result(alice.election().resign(leader));

    cluster.kill(0);
    cluster.start(0); // the keep-alive stream reopens with a new token
    int before = renewals.renewals.size();
    renewals.awaitRenewals(before + 1);
    keepAlive.close();
    Await.result(alice.lease().revoke(lease));
  }
}
