package io.vkv.client;

import static io.vkv.client.AuthFixture.ROOT_PASSWORD;
import static io.vkv.client.AuthFixture.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.authpb.Permission;
import io.vkv.api.etcdserverpb.AuthRoleGetResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every call of the Auth service with its success and etcd's errors, against each server kind with Auth. */
class AuthClientTest {
  private TestCluster cluster;
  private VkvClient anonymous;
  private VkvClient root;

  private VkvClient start(ServerKind kind) {
    cluster = kind.start(1);
    anonymous = AuthFixture.client(cluster, null, null);
    return anonymous;
  }

  @AfterEach
  void stop() {
    AuthFixture.close(root, anonymous);
    if (cluster != null) cluster.close();
  }

  @Test
  void aUserWithoutAPasswordIsRejectedAtCreation() {
    VkvClientOptions options = new VkvClientOptions().addEndpoint("127.0.0.1:2379").setUser("alice");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VkvClient.create(options));
    assertTrue(e.getMessage().contains("alice") && e.getMessage().contains("password"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> VkvClient.create(new VkvClientOptions().addEndpoint("127.0.0.1:2379").setPassword("pw")));
    assertThrows(IllegalArgumentException.class, () -> new VkvClientOptions().setUser(""));
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void enablingAuthNeedsARootUserWithTheRootRole(ServerKind kind) {
    AuthClient auth = start(kind).auth();
    assertFails(auth.authEnable(), GrpcStatus.FAILED_PRECONDITION, "etcdserver: root user does not exist");
    Await.result(auth.userAdd("root", ROOT_PASSWORD));
    assertFails(auth.authEnable(), GrpcStatus.FAILED_PRECONDITION, "etcdserver: root user does not have root role");
    Await.result(auth.roleAdd("root"));
    Await.result(auth.userGrantRole("root", "root"));
    Await.result(auth.authEnable());

    // enabled: a caller without a token is nobody
    assertFails(anonymous.kv().get("k"), GrpcStatus.INVALID_ARGUMENT, "etcdserver: user name is empty");
    assertFails(auth.userList(), GrpcStatus.INVALID_ARGUMENT, "etcdserver: user name is empty");
    assertFails(auth.authenticate("root", "wrong"), GrpcStatus.INVALID_ARGUMENT,
        "etcdserver: authentication failed, invalid user ID or password");
    assertFalse(Await.result(auth.authenticate("root", ROOT_PASSWORD)).getToken().isEmpty());

    root = AuthFixture.client(cluster, "root", ROOT_PASSWORD);
    Await.result(root.auth().authDisable());
    Await.result(anonymous.kv().put("k", "v")); // disabled again: anyone may
    assertFails(auth.authenticate("root", ROOT_PASSWORD), GrpcStatus.FAILED_PRECONDITION,
        "etcdserver: authentication is not enabled");
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void userCalls(ServerKind kind) {
    root = AuthFixture.enableAuth(cluster(kind), anonymous);
    AuthClient auth = root.auth();
    Await.result(auth.userAdd("alice", "alice-pw"));
    assertFails(auth.userAdd("alice", "other"), GrpcStatus.FAILED_PRECONDITION, "etcdserver: user name already exists");
    assertEquals(List.of(), Await.result(auth.userGet("alice")).getRolesList());
    assertEquals(List.of("alice", "root"), Await.result(auth.userList()).getUsersList());
    assertFails(auth.userGet("nobody"), GrpcStatus.FAILED_PRECONDITION, "etcdserver: user name not found");

    assertFails(auth.userGrantRole("alice", "writer"), GrpcStatus.FAILED_PRECONDITION, "etcdserver: role name not found");
    assertFails(auth.userGrantRole("nobody", "root"), GrpcStatus.FAILED_PRECONDITION, "etcdserver: user name not found");
    Await.result(auth.roleAdd("writer"));
    Await.result(auth.userGrantRole("alice", "writer"));
    Await.result(auth.userGrantRole("alice", "writer")); // granting twice is granting once
    assertEquals(List.of("writer"), Await.result(auth.userGet("alice")).getRolesList());
    Await.result(auth.userRevokeRole("alice", "writer"));
    assertEquals(List.of(), Await.result(auth.userGet("alice")).getRolesList());
    assertFails(auth.userRevokeRole("alice", "writer"), GrpcStatus.FAILED_PRECONDITION,
        "etcdserver: role is not granted to the user");

    Await.result(auth.userChangePassword("alice", "new-pw"));
    assertFalse(Await.result(auth.authenticate("alice", "new-pw")).getToken().isEmpty());
    assertFails(auth.authenticate("alice", "alice-pw"), GrpcStatus.INVALID_ARGUMENT,
        "etcdserver: authentication failed, invalid user ID or password");
    assertFails(auth.userChangePassword("nobody", "x"), GrpcStatus.FAILED_PRECONDITION, "etcdserver: user name not found");

    Await.result(auth.userAddWithoutPassword("service"));
    assertEquals(List.of("alice", "root", "service"), Await.result(auth.userList()).getUsersList());
    // etcd 3.4 answers with an error it does not map to a gRPC code
    assertFails(auth.authenticate("service", "anything"), GrpcStatus.UNKNOWN,
        "auth: authentication failed, password was given for no password user");

    Await.result(auth.userDelete("alice"));
    assertFails(auth.userDelete("alice"), GrpcStatus.FAILED_PRECONDITION, "etcdserver: user name not found");
    assertEquals(List.of("root", "service"), Await.result(auth.userList()).getUsersList());
    // auth would lock itself out
    assertFails(auth.userDelete("root"), GrpcStatus.INVALID_ARGUMENT, "etcdserver: invalid auth management");
    assertFails(auth.userRevokeRole("root", "root"), GrpcStatus.INVALID_ARGUMENT, "etcdserver: invalid auth management");
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void roleCalls(ServerKind kind) {
    root = AuthFixture.enableAuth(cluster(kind), anonymous);
    AuthClient auth = root.auth();
    Await.result(auth.roleAdd("app"));
    assertFails(auth.roleAdd("app"), GrpcStatus.FAILED_PRECONDITION, "etcdserver: role name already exists");
    assertEquals(List.of("app", "root"), Await.result(auth.roleList()).getRolesList());
    assertEquals(0, Await.result(auth.roleGet("app")).getPermCount());
    assertFails(auth.roleGet("nope"), GrpcStatus.FAILED_PRECONDITION, "etcdserver: role name not found");

    Await.result(auth.roleGrantPermissionPrefix("app", Permission.Type.READWRITE, "app/"));
    Await.result(auth.roleGrantPermission("app", Permission.Type.READ, "config"));
    Await.result(auth.roleGrantPermission("app", Permission.Type.WRITE, Buffer.buffer("logs/a"), Buffer.buffer("logs/m")));
    Await.result(auth.roleGrantPermission("app", Permission.Type.READ, "z", "\0"));
    AuthRoleGetResponse role = Await.result(auth.roleGet("app"));
    assertEquals(List.of(
        perm(Permission.Type.READWRITE, "app/", "app0"),
        perm(Permission.Type.READ, "config", ""),
        perm(Permission.Type.WRITE, "logs/a", "logs/m"),
        perm(Permission.Type.READ, "z", "\0")), role.getPermList());
    assertFails(auth.roleGrantPermission("nope", Permission.Type.READ, "k"), GrpcStatus.FAILED_PRECONDITION,
        "etcdserver: role name not found");

    assertFails(auth.roleRevokePermission("app", "other", ""), GrpcStatus.FAILED_PRECONDITION,
        "etcdserver: permission is not granted to the role");
    Await.result(auth.roleRevokePermissionPrefix("app", "app/"));
    Await.result(auth.roleRevokePermission("app", "config", ""));
    Await.result(auth.roleRevokePermission("app", Buffer.buffer("logs/a"), Buffer.buffer("logs/m")));
    assertEquals(List.of(perm(Permission.Type.READ, "z", "\0")), Await.result(auth.roleGet("app")).getPermList());

    Await.result(auth.roleDelete("app"));
    assertFails(auth.roleDelete("app"), GrpcStatus.FAILED_PRECONDITION, "etcdserver: role name not found");
    assertEquals(List.of("root"), Await.result(auth.roleList()).getRolesList());
    assertFails(auth.roleDelete("root"), GrpcStatus.INVALID_ARGUMENT, "etcdserver: invalid auth management");
  }

  @ParameterizedTest
  @MethodSource("io.vkv.client.ServerKind#auth")
  void onlyRootManagesAuth(ServerKind kind) {
    root = AuthFixture.enableAuth(cluster(kind), anonymous);
    Await.result(root.auth().userAdd("alice", "alice-pw"));
    VkvClient alice = AuthFixture.client(cluster, "alice", "alice-pw");
    try {
      String denied = "etcdserver: permission denied";
      assertFails(alice.auth().userList(), GrpcStatus.PERMISSION_DENIED, denied);
      assertFails(alice.auth().userAdd("mallory", "pw"), GrpcStatus.PERMISSION_DENIED, denied);
      assertFails(alice.auth().userGrantRole("alice", "root"), GrpcStatus.PERMISSION_DENIED, denied);
      assertFails(alice.auth().roleAdd("mine"), GrpcStatus.PERMISSION_DENIED, denied);
      assertFails(alice.auth().authDisable(), GrpcStatus.PERMISSION_DENIED, denied);
      assertEquals(List.of("alice", "root"), Await.result(root.auth().userList()).getUsersList());
    } finally {
      AuthFixture.close(alice);
    }
  }

  private TestCluster cluster(ServerKind kind) {
    start(kind);
    return cluster;
  }

  private static Permission perm(Permission.Type type, String key, String rangeEnd) {
    return Permission.newBuilder().setPermType(type).setKey(Bytes.of(key)).setRangeEnd(Bytes.of(rangeEnd)).build();
  }
}
