package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vkv.api.authpb.Permission;
import io.vkv.api.etcdserverpb.AuthGrpcClient;
import io.vkv.api.etcdserverpb.AuthEnableRequest;
import io.vkv.api.etcdserverpb.AuthRoleAddRequest;
import io.vkv.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.vkv.api.etcdserverpb.AuthUserAddRequest;
import io.vkv.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.vkv.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.vkv.api.etcdserverpb.AuthenticateRequest;
import io.vkv.api.etcdserverpb.AuthenticateResponse;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.v3lockpb.LockGrpcClient;
import io.vkv.api.v3lockpb.LockRequest;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auth across three members with raw gRPC calls carrying the {@code token} metadata, as etcd's clients send it:
 * a token issued through one member works on every member (tokens are learned from the log), writes forwarded by a
 * follower are checked as the caller, and tokens become invalid as etcd's simple tokens do.
 */
class AuthClusterTest {
  @TempDir Path dir;
  TestCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  private <Req, Resp> Resp call(int member, ServiceMethod<Resp, Req> method, Req request, String token) throws Exception {
    SocketAddress to = cluster.address(member);
    Future<Resp> f = cluster.grpc.request(to, method).compose(req -> {
      if (token != null) req.headers().set("token", token);
      return req.end(request).compose(v -> req.response()).compose(resp -> resp.last()
          .recover(e -> Future.failedFuture(new Refused(resp.status(), resp.statusMessage()))));
    });
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /** A call that ended with a non-OK status. */
  private static final class Refused extends Exception {
    final GrpcStatus status;

    Refused(GrpcStatus status, String message) {
      super(message);
      this.status = status;
    }
  }

  private void refused(GrpcStatus status, String message, Executable call) {
    Refused e = assertThrows(Refused.class, call::run);
    assertEquals(status, e.status, e.getMessage());
    assertEquals(message, e.getMessage());
  }

  private interface Executable {
    void run() throws Exception;
  }

  private String authenticate(int member, String name, String password) throws Exception {
    AuthenticateResponse r = call(member, AuthGrpcClient.Authenticate,
        AuthenticateRequest.newBuilder().setName(name).setPassword(password).build(), null);
    return r.getToken();
  }

  private static PutRequest put(String k, String v) {
    return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k)).setValue(ByteString.copyFromUtf8(v)).build();
  }

  private static RangeRequest get(String k) {
    return RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(k)).build();
  }

  /** root (root role) and alice (readwrite on prefix "app/"), then auth on; all through member 0. */
  private void setUpUsers() throws Exception {
    call(0, AuthGrpcClient.UserAdd, AuthUserAddRequest.newBuilder().setName("root").setPassword("rootpw").build(), null);
    call(0, AuthGrpcClient.UserGrantRole, AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build(), null);
    call(0, AuthGrpcClient.UserAdd, AuthUserAddRequest.newBuilder().setName("alice").setPassword("pw").build(), null);
    call(0, AuthGrpcClient.RoleAdd, AuthRoleAddRequest.newBuilder().setName("app").build(), null);
    call(0, AuthGrpcClient.RoleGrantPermission, AuthRoleGrantPermissionRequest.newBuilder().setName("app")
        .setPerm(Permission.newBuilder().setPermType(Permission.Type.READWRITE)
            .setKey(ByteString.copyFromUtf8("app/")).setRangeEnd(ByteString.copyFromUtf8("app0"))).build(), null);
    call(0, AuthGrpcClient.UserGrantRole, AuthUserGrantRoleRequest.newBuilder().setUser("alice").setRole("app").build(), null);
    call(0, AuthGrpcClient.AuthEnable, AuthEnableRequest.getDefaultInstance(), null);
  }

  @Test
  void aTokenIssuedByOneMemberWorksOnEveryMemberUntilItsUserChanges() throws Exception {
    cluster = TestCluster.start(dir);
    int leader = cluster.awaitOneLeader(cluster.running(), 20 * TestCluster.ELECTION_MS);
    setUpUsers();
    int follower = cluster.others(leader).get(0);
    int other = cluster.others(leader).get(1);

    String alice = authenticate(follower, "alice", "pw");
    assertTrue(alice.matches("[A-Za-z]{16}\\.\\d+"), alice);
    // a write through another follower is forwarded to the leader and checked as alice where it applies
    call(other, KVGrpcClient.Put, put("app/x", "1"), alice);
    for (int m = 0; m < TestCluster.SIZE; m++) {
      RangeResponse r = call(m, KVGrpcClient.Range, get("app/x").toBuilder().setSerializable(false).build(), alice);
      assertEquals("1", r.getKvs(0).getValue().toStringUtf8());
    }
    refused(GrpcStatus.PERMISSION_DENIED, "etcdserver: permission denied", () -> call(other, KVGrpcClient.Put, put("secret", "1"), alice));
    refused(GrpcStatus.PERMISSION_DENIED, "etcdserver: permission denied", () -> call(leader, KVGrpcClient.Range, get("secret"), alice));
    refused(GrpcStatus.INVALID_ARGUMENT, "etcdserver: user name is empty", () -> call(leader, KVGrpcClient.Range, get("app/x"), null));
    refused(GrpcStatus.UNAUTHENTICATED, "etcdserver: invalid auth token", () -> call(follower, KVGrpcClient.Range, get("app/x"), "bogus.1"));
    // the lock service works on the caller's behalf: alice may not lock outside app/
    refused(GrpcStatus.UNKNOWN, "etcdserver: permission denied", () -> call(follower, LockGrpcClient.Lock,
        LockRequest.newBuilder().setName(ByteString.copyFromUtf8("locks/l")).build(), alice));

    // as etcd's simple tokens: an auth change does not invalidate a token, the next call sees the new rights
    String root = authenticate(leader, "root", "rootpw");
    call(other, AuthGrpcClient.RoleGrantPermission, AuthRoleGrantPermissionRequest.newBuilder().setName("app")
        .setPerm(Permission.newBuilder().setPermType(Permission.Type.READ).setKey(ByteString.copyFromUtf8("secret"))).build(), root);
    assertEquals(0, call(other, KVGrpcClient.Range, get("secret"), alice).getKvsCount());
    String fresh = authenticate(other, "alice", "pw");
    assertNotEquals(alice, fresh);
    assertEquals(1, call(leader, KVGrpcClient.Range, get("app/x"), fresh).getKvsCount());

    // a changed password invalidates the user's tokens on every member
    call(follower, AuthGrpcClient.UserChangePassword, AuthUserChangePasswordRequest.newBuilder().setName("alice").setPassword("pw2").build(), root);
    for (int m = 0; m < TestCluster.SIZE; m++) {
      int member = m;
      refused(GrpcStatus.UNAUTHENTICATED, "etcdserver: invalid auth token", () -> call(member, KVGrpcClient.Range, get("app/x"), fresh));
    }
    refused(GrpcStatus.INVALID_ARGUMENT, "etcdserver: authentication failed, invalid user ID or password", () -> authenticate(leader, "alice", "pw"));
    String third = authenticate(leader, "alice", "pw2");
    assertEquals(1, call(follower, KVGrpcClient.Range, get("app/x"), third).getKvsCount());
  }

  /**
   * A token ends in the index of the entry that issued it: a member that has not applied that entry yet waits for it
   * instead of calling the token invalid (here a follower cut off while the token was issued).
   */
  @Test
  void aMemberBehindTheTokenWaitsForItInsteadOfRefusingIt() throws Exception {
    cluster = TestCluster.start(dir);
    int leader = cluster.awaitOneLeader(cluster.running(), 20 * TestCluster.ELECTION_MS);
    setUpUsers();
    String root = authenticate(leader, "root", "rootpw");
    call(leader, KVGrpcClient.Put, put("app/z", "3"), root);
    int lagging = cluster.others(leader).get(0);
    // the lagging member has applied everything so far (a linearizable read there waits for it)
    call(lagging, KVGrpcClient.Range, get("app/z"), root);
    cluster.isolate(lagging);
    String alice = authenticate(leader, "alice", "pw");
    var read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return call(lagging, KVGrpcClient.Range, get("app/z").toBuilder().setSerializable(true).build(), alice);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    cluster.heal();
    assertEquals("3", read.get(20, TimeUnit.SECONDS).getKvs(0).getValue().toStringUtf8());
  }

  @Test
  void usersAndRolesSurviveARestartButTokensDoNot() throws Exception {
    cluster = TestCluster.start(dir);
    cluster.awaitOneLeader(cluster.running(), 20 * TestCluster.ELECTION_MS);
    setUpUsers();
    String alice = authenticate(1, "alice", "pw");
    call(1, KVGrpcClient.Put, put("app/y", "2"), alice);
    cluster.stopAll();
    cluster.startAll();
    cluster.awaitOneLeader(cluster.running(), 20 * TestCluster.ELECTION_MS);
    // as etcd's simple tokens: kept in memory only
    refused(GrpcStatus.UNAUTHENTICATED, "etcdserver: invalid auth token", () -> call(2, KVGrpcClient.Range, get("app/y"), alice));
    refused(GrpcStatus.INVALID_ARGUMENT, "etcdserver: user name is empty", () -> call(2, KVGrpcClient.Range, get("app/y"), null));
    String again = authenticate(2, "alice", "pw");
    assertEquals("2", call(0, KVGrpcClient.Range, get("app/y"), again).getKvs(0).getValue().toStringUtf8());
  }
}
