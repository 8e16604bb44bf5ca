package io.vkv.store;

import static io.vkv.store.Fixture.bs;
import static io.vkv.store.Fixture.put;
import static io.vkv.store.Fixture.putReq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.api.authpb.Permission;
import io.vkv.api.authpb.UserAddOptions;
import io.vkv.api.etcdserverpb.AuthDisableRequest;
import io.vkv.api.etcdserverpb.AuthEnableRequest;
import io.vkv.api.etcdserverpb.AuthRoleAddRequest;
import io.vkv.api.etcdserverpb.AuthRoleDeleteRequest;
import io.vkv.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.vkv.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.vkv.api.etcdserverpb.AuthUserAddRequest;
import io.vkv.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.vkv.api.etcdserverpb.AuthUserDeleteRequest;
import io.vkv.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.vkv.api.etcdserverpb.AuthUserRevokeRoleRequest;
import io.vkv.api.etcdserverpb.CompactionRequest;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.internal.InternalAuthenticateRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.internal.IssuedToken;
import io.vkv.api.internal.RequestHeader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auth entries and permission checks as the store applies them: etcd 3.4's rules, deterministic on every member. */
class AuthStoreTest {
  @TempDir
  Path dir;

  private static InternalRequest as(RequestHeader who, InternalRequest r) {
    return r.toBuilder().setHeader(who).build();
  }

  private static RequestHeader user(String name, long authRevision) {
    return RequestHeader.newBuilder().setUsername(name).setAuthRevision(authRevision).build();
  }

  private static final RequestHeader NOBODY = RequestHeader.getDefaultInstance();

  static InternalRequest userAdd(String name, String hash) {
    return InternalRequest.newBuilder().setAuthUserAdd(AuthUserAddRequest.newBuilder().setName(name).setHashedPassword(hash)).build();
  }

  static InternalRequest roleAdd(String name) {
    return InternalRequest.newBuilder().setAuthRoleAdd(AuthRoleAddRequest.newBuilder().setName(name)).build();
  }

  static InternalRequest grantRole(String user, String role) {
    return InternalRequest.newBuilder().setAuthUserGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser(user).setRole(role)).build();
  }

  static InternalRequest grantPerm(String role, Permission.Type type, String key, String end) {
    return InternalRequest.newBuilder().setAuthRoleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName(role)
        .setPerm(Permission.newBuilder().setPermType(type).setKey(bs(key)).setRangeEnd(bs(end)))).build();
  }

  static InternalRequest enable() {
    return InternalRequest.newBuilder().setAuthEnable(AuthEnableRequest.getDefaultInstance()).build();
  }

  static InternalRequest authenticate(String name, String checkedHash, String prefix) {
    return InternalRequest.newBuilder().setAuthenticate(InternalAuthenticateRequest.newBuilder()
        .setName(name).setCheckedHash(checkedHash).setSimpleToken(prefix)).build();
  }

  private static EtcdError error(ApplyResult r) {
    return r.error() == null ? null : r.error().error();
  }

  /** root with the root role, alice with r1: readwrite on "foo", read on prefix "pre/"; auth on. */
  private long setUp(Fixture f) {
    f.applyAll(userAdd("root", "h-root"), roleAdd("root"), grantRole("root", "root"), userAdd("alice", "h-alice"),
        roleAdd("r1"), grantPerm("r1", Permission.Type.READWRITE, "foo", ""), grantPerm("r1", Permission.Type.READ, "pre/", "pre0"),
        grantRole("alice", "r1"));
    assertNull(f.apply(enable()).error());
    assertTrue(f.store.auth().enabled());
    return f.store.auth().revision();
  }

  @Test
  void enablingNeedsARootUserHoldingTheRootRole() {
    try (Fixture f = new Fixture(dir)) {
      assertEquals(1, f.store.auth().revision());
      assertEquals(EtcdError.ROOT_USER_NOT_EXIST, error(f.apply(enable())));
      f.ok(userAdd("root", "h"));
      assertEquals(EtcdError.ROOT_ROLE_NOT_EXIST, error(f.apply(enable())));
      f.ok(grantRole("root", "root")); // the root role need not exist as a role record
      f.ok(enable());
      assertTrue(f.store.auth().enabled());
      long rev = f.store.auth().revision();
      f.ok(as(user("root", rev), enable())); // enabling again is a no-op
      assertEquals(rev, f.store.auth().revision());
    }
  }

  @Test
  void managementErrorsAreEtcds() {
    try (Fixture f = new Fixture(dir)) {
      assertEquals(EtcdError.USER_EMPTY, error(f.apply(userAdd("", "h"))));
      f.ok(userAdd("u", "h"));
      assertEquals(EtcdError.USER_ALREADY_EXIST, error(f.apply(userAdd("u", "h"))));
      assertEquals(EtcdError.ROLE_EMPTY, error(f.apply(roleAdd(""))));
      f.ok(roleAdd("r"));
      assertEquals(EtcdError.ROLE_ALREADY_EXIST, error(f.apply(roleAdd("r"))));
      assertEquals(EtcdError.ROLE_NOT_FOUND, error(f.apply(grantRole("u", "nosuch"))));
      assertEquals(EtcdError.USER_NOT_FOUND, error(f.apply(grantRole("nosuch", "r"))));
      assertEquals(EtcdError.ROLE_NOT_GRANTED, error(f.apply(InternalRequest.newBuilder()
          .setAuthUserRevokeRole(AuthUserRevokeRoleRequest.newBuilder().setName("u").setRole("r")).build())));
      assertEquals(EtcdError.PERMISSION_NOT_GRANTED, error(f.apply(InternalRequest.newBuilder()
          .setAuthRoleRevokePermission(AuthRoleRevokePermissionRequest.newBuilder().setRole("r").setKey(bs("x"))).build())));
      assertEquals(EtcdError.USER_NOT_FOUND, error(f.apply(InternalRequest.newBuilder()
          .setAuthUserDelete(AuthUserDeleteRequest.newBuilder().setName("nosuch")).build())));
    }
  }

  @Test
  void grantingTheSameRangeAgainReplacesItsTypeAndPermissionsStaySortedByKey() {
    try (Fixture f = new Fixture(dir)) {
      f.applyAll(roleAdd("r"), grantPerm("r", Permission.Type.READWRITE, "foo", ""), grantPerm("r", Permission.Type.READ, "bar", ""));
      f.ok(grantPerm("r", Permission.Type.WRITE, "foo", ""));
      var perms = f.store.auth().role("r").getKeyPermissionList();
      assertEquals(2, perms.size());
      assertEquals("bar", perms.get(0).getKey().toStringUtf8());
      assertEquals(Permission.Type.WRITE, perms.get(1).getPermType());
    }
  }

  @Test
  void rootIsProtectedWhileAuthIsOn() {
    try (Fixture f = new Fixture(dir)) {
      long rev = setUp(f);
      RequestHeader root = user("root", rev);
      assertEquals(EtcdError.INVALID_AUTH_MGMT, error(f.apply(as(root, InternalRequest.newBuilder()
          .setAuthUserDelete(AuthUserDeleteRequest.newBuilder().setName("root")).build()))));
      assertEquals(EtcdError.INVALID_AUTH_MGMT, error(f.apply(as(root, InternalRequest.newBuilder()
          .setAuthUserRevokeRole(AuthUserRevokeRoleRequest.newBuilder().setName("root").setRole("root")).build()))));
      assertEquals(EtcdError.INVALID_AUTH_MGMT, error(f.apply(as(root, InternalRequest.newBuilder()
          .setAuthRoleDelete(AuthRoleDeleteRequest.newBuilder().setRole("root")).build()))));
    }
  }

  @Test
  void onlyRootManagesAuthOnceEnabled() {
    try (Fixture f = new Fixture(dir)) {
      long rev = setUp(f);
      InternalRequest disable = InternalRequest.newBuilder().setAuthDisable(AuthDisableRequest.getDefaultInstance()).build();
      assertEquals(EtcdError.USER_EMPTY, error(f.apply(as(NOBODY, roleAdd("x")))));
      assertEquals(EtcdError.PERMISSION_DENIED, error(f.apply(as(user("alice", rev), disable))));
      assertEquals(EtcdError.USER_NOT_FOUND, error(f.apply(as(user("ghost", rev), disable))));
      assertTrue(f.store.auth().enabled());
      f.ok(as(user("root", rev), disable));
      assertFalse(f.store.auth().enabled());
      f.ok(as(NOBODY, roleAdd("x"))); // with auth off anybody manages
    }
  }

  @Test
  void writesAreCheckedAsTheyApplyAndARefusedOneWritesNothing() {
    try (Fixture f = new Fixture(dir)) {
      long rev = setUp(f);
      RequestHeader alice = user("alice", rev);
      long kvRev = f.store.currentRevision();
      assertNull(f.apply(as(alice, put("foo", "1"))).error());
      assertEquals(EtcdError.PERMISSION_DENIED, error(f.apply(as(alice, put("foo2", "1")))));
      assertEquals(EtcdError.PERMISSION_DENIED, error(f.apply(as(alice, put("pre/a", "1"))))); // read only
      assertEquals(EtcdError.USER_EMPTY, error(f.apply(as(NOBODY, put("foo", "2")))));
      assertNull(f.apply(put("foo2", "server")).error()); // no header: the server's own entry
      assertNull(f.apply(as(user("root", rev), put("anything", "1"))).error());
      assertEquals(kvRev + 3, f.store.currentRevision());
      assertEquals(EtcdError.PERMISSION_DENIED, error(f.apply(as(alice, InternalRequest.newBuilder()
          .setDeleteRange(DeleteRangeRequest.newBuilder().setKey(bs("foo")).setRangeEnd(bs("fop"))).build()))));
      assertEquals("1", f.kv("foo").getValue().toStringUtf8());
    }
  }

  @Test
  void aTxnNeedsPermissionForEveryCompareAndBothBranches() {
    try (Fixture f = new Fixture(dir)) {
      long rev = setUp(f);
      RequestHeader alice = user("alice", rev);
      InternalRequest allowed = Fixture.txn(TxnRequest.newBuilder()
          .addCompare(Fixture.cmp("pre/x", io.vkv.api.etcdserverpb.Compare.CompareTarget.VERSION,
              io.vkv.api.etcdserverpb.Compare.CompareResult.EQUAL).setVersion(0))
          .addSuccess(Fixture.putOp("foo", "t")).addFailure(Fixture.getOp("pre/y")));
      assertNull(f.apply(as(alice, allowed)).error());
      // the failure branch would never run, but it writes a key alice may not write
      InternalRequest denied = Fixture.txn(TxnRequest.newBuilder().addSuccess(Fixture.putOp("foo", "u"))
          .addFailure(Fixture.putOp("secret", "x")));
      assertEquals(EtcdError.PERMISSION_DENIED, error(f.apply(as(alice, denied))));
      assertEquals("t", f.kv("foo").getValue().toStringUtf8());
    }
  }

  @Test
  void anyAuthChangeMakesOlderTokensStaleForKeyChecks() {
    try (Fixture f = new Fixture(dir)) {
      long rev = setUp(f);
      f.ok(as(user("root", rev), roleAdd("r2")));
      assertEquals(rev + 1, f.store.auth().revision());
      assertEquals(EtcdError.AUTH_OLD_REVISION, error(f.apply(as(user("alice", rev), put("foo", "x")))));
      assertNull(f.apply(as(user("alice", rev + 1), put("foo", "x"))).error());
      // admin checks do not look at the revision (etcd)
      assertNull(f.apply(as(user("root", rev), roleAdd("r3"))).error());
    }
  }

  @Test
  void leaseRevokeAndAttachNeedWritePermissionOnEveryAttachedKey() {
    try (Fixture f = new Fixture(dir)) {
      long rev = setUp(f);
      RequestHeader alice = user("alice", rev);
      RequestHeader root = user("root", rev);
      f.ok(as(root, InternalRequest.newBuilder().setLeaseGrant(LeaseGrantRequest.newBuilder().setID(9).setTTL(60)).build()));
      f.ok(as(root, put(putReq("secret", "s").setLease(9))));
      assertEquals(EtcdError.PERMISSION_DENIED, error(f.apply(as(alice, put(putReq("foo", "f").setLease(9))))));
      InternalRequest revoke = InternalRequest.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(9)).build();
      assertEquals(EtcdError.PERMISSION_DENIED, error(f.apply(as(alice, revoke))));
      assertEquals("s", f.kv("secret").getValue().toStringUtf8());
      assertNull(f.apply(revoke).error()); // the lessor's own revoke (no header) is not checked
    }
  }

  @Test
  void compactionIsNotPermissionCheckedAsInEtcd34() {
    try (Fixture f = new Fixture(dir)) {
      setUp(f);
      f.ok(put("k", "v"));
      assertNull(f.apply(as(NOBODY, InternalRequest.newBuilder()
          .setCompaction(CompactionRequest.newBuilder().setRevision(2)).build())).error());
    }
  }

  @Test
  void authenticateIssuesTheTokenWithTheEntryIndexAndChecksTheHashStillMatches() {
    try (Fixture f = new Fixture(dir)) {
      assertEquals(EtcdError.AUTH_NOT_ENABLED, error(f.apply(authenticate("alice", "h-alice", "abc"))));
      long rev = setUp(f);
      ApplyResult ok = f.ok(authenticate("alice", "h-alice", "abc"));
      IssuedToken t = (IssuedToken) ok.response();
      assertEquals("abc." + ok.index(), t.getToken());
      assertEquals("alice", t.getName());
      assertEquals(EtcdError.AUTH_FAILED, error(f.apply(authenticate("ghost", "x", "abc"))));
      f.ok(as(user("root", rev), InternalRequest.newBuilder().setAuthUserChangePassword(
          AuthUserChangePasswordRequest.newBuilder().setName("alice").setHashedPassword("h-new")).build()));
      assertEquals(EtcdError.AUTH_FAILED, error(f.apply(authenticate("alice", "h-alice", "abc"))));
      f.ok(as(user("root", rev), InternalRequest.newBuilder().setAuthUserAdd(AuthUserAddRequest.newBuilder()
          .setName("np").setOptions(UserAddOptions.newBuilder().setNoPassword(true))).build()));
      assertEquals(EtcdError.AUTH_FAILED, error(f.apply(authenticate("np", "", "abc"))));
    }
  }

  @Test
  void deletingARoleTakesItFromItsUsersAndStateSurvivesReopen() {
    try (Fixture f = new Fixture(dir)) {
      long rev = setUp(f);
      f.ok(as(user("root", rev), InternalRequest.newBuilder().setAuthRoleDelete(AuthRoleDeleteRequest.newBuilder().setRole("r1")).build()));
      assertFalse(f.store.auth().hasRole("alice", "r1"));
      f.reopen();
      assertTrue(f.store.auth().enabled());
      assertEquals(rev + 1, f.store.auth().revision());
      assertEquals(java.util.List.of("alice", "root"), f.store.auth().userNames());
      assertNull(f.store.auth().role("r1"));
    }
  }

  @Test
  void rangeChecksUseMergedIntervalsInEtcdsEncoding() {
    try (Fixture f = new Fixture(dir)) {
      f.applyAll(roleAdd("r"), grantPerm("r", Permission.Type.READ, "a", "c"), grantPerm("r", Permission.Type.READ, "c", "e"),
          grantPerm("r", Permission.Type.READ, "x", "\0"), userAdd("u", "h"), grantRole("u", "r"));
      long rev = setUp(f);
      AuthState a = f.store.auth();
      RequestHeader u = user("u", rev);
      a.checkRead(u, bs("a"), bs("e")); // two adjacent grants cover it together
      a.checkRead(u, bs("b"), ByteString.EMPTY);
      a.checkRead(u, bs("xyz"), bs("\0")); // open-ended within open-ended
      assertEquals(EtcdError.PERMISSION_DENIED, assertThrows(EtcdException.class, () -> a.checkRead(u, bs("a"), bs("f"))).error());
      assertEquals(EtcdError.PERMISSION_DENIED, assertThrows(EtcdException.class, () -> a.checkRead(u, bs("e"), ByteString.EMPTY)).error());
      assertEquals(EtcdError.PERMISSION_DENIED, assertThrows(EtcdException.class, () -> a.checkWrite(u, bs("b"), ByteString.EMPTY)).error());
      assertEquals(EtcdError.PERMISSION_DENIED, assertThrows(EtcdException.class, () -> a.checkRead(u, bs("w"), bs("\0"))).error());
    }
  }
}
