package io.vkv.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.auth.EtcdctlRunner.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance for etcd v3 auth (users, roles, key permissions, simple tokens) through the real etcdctl 3.4, run
 * against real etcd 3.4.23 — the reference these expectations were taken from — and against vkv. Each test gets a
 * freshly started, empty server. Texts asserted are etcdctl's stdout and its non-JSON stderr lines; exit codes are
 * etcdctl's: 1 for a failed command, 2 when the client cannot be set up (authentication fails there), 5 when a
 * watch is cancelled.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ServerUnderTest.Kind.class)
@Timeout(60)
class AuthEtcdctlTest {
  private static final String PERMISSION_DENIED = "Error: etcdserver: permission denied";
  private static final String USER_NAME_EMPTY = "Error: etcdserver: user name is empty";
  private static final String AUTH_FAILED = "Error: etcdserver: authentication failed, invalid user ID or password";
  private static final String ROLE_R1 = """
      Role r1
      KV Read:
      \tfoo
      \t[k1, k5)
      \t[pre/, pre0) (prefix pre/)
      KV Write:
      \tfoo
      \t[zz, <open ended>
      """;

  @Parameter ServerUnderTest.Kind kind;
  @TempDir Path dir;

  private ServerUnderTest server;
  /** No credentials. */
  private EtcdctlRunner anon;
  private EtcdctlRunner root;
  private EtcdctlRunner alice;

  @BeforeEach
  void startServer() {
    server = kind.start(dir);
    anon = new EtcdctlRunner(server.endpoints(), dir);
    root = anon.as("root:rootpw");
    alice = anon.as("alice:alicepw");
  }

  @AfterEach
  void stopServer() {
    if (server != null) server.close();
  }

  @Test
  void enablingWithoutRootUserIsRefused() {
    assertFails(anon.run("auth", "enable"), 1, "Error: etcdserver: root user does not exist");
    // still disabled: requests without credentials go through
    assertOk(anon.run("put", "a", "1"), "OK\n");
  }

  @Test
  void enablingWithRootUserGivesRootTheRootRole() {
    assertOk(anon.run("user", "add", "root:rootpw"), "User root created\n");
    // etcd first refuses (root has no root role); etcdctl then adds role root, grants it and enables again
    assertOk(anon.run("auth", "enable"), "Authentication Enabled\n");
    assertOk(root.run("user", "get", "root"), "User: root\nRoles: root\n");
    assertOk(root.run("role", "get", "root"), "Role root\nKV Read:\nKV Write:\n");
    assertOk(root.run("role", "list"), "root\n");
    assertOk(root.run("put", "a", "1"), "OK\n");
    assertOk(root.run("get", "a"), "a\n1\n");
    // enabling again is not an error
    assertOk(root.run("auth", "enable"), "Authentication Enabled\n");
  }

  @Test
  void afterEnableRequestsWithoutCredentialsAreRefused() {
    enableAuth();
    assertFails(anon.run("put", "a", "1"), 1, USER_NAME_EMPTY);
    assertFails(anon.run("get", "a"), 1, USER_NAME_EMPTY);
    assertFails(anon.run("user", "list"), 1, USER_NAME_EMPTY);
    assertFails(anon.run("auth", "enable"), 1, USER_NAME_EMPTY);
    assertOk(root.run("get", "a"), "");
  }

  @Test
  void wrongPasswordAndUnknownUserFailAuthentication() {
    enableAuth();
    assertFails(anon.as("root:wrong").run("get", "a"), 2, AUTH_FAILED);
    assertFails(anon.as("nobody:x").run("get", "a"), 2, AUTH_FAILED);
    assertOk(root.run("get", "a"), "");
  }

  @Test
  void roleWithKeyPermissionsLimitsWhatItsUserMayDo() {
    enableAuthWithAlice();
    assertOk(root.run("role", "get", "r1"), ROLE_R1);

    assertOk(alice.run("put", "foo", "bar"), "OK\n");
    assertOk(alice.run("get", "foo"), "foo\nbar\n");
    assertOk(alice.run("get", "pre/x"), "");
    assertOk(alice.run("get", "pre/", "--prefix"), "");
    assertOk(alice.run("get", "k2"), "");
    assertOk(alice.run("put", "zz1", "x"), "OK\n");
    assertFails(alice.run("put", "foo2", "x"), 1, PERMISSION_DENIED);
    assertFails(alice.run("put", "pre/x", "x"), 1, PERMISSION_DENIED);
    assertFails(alice.run("get", "zz1"), 1, PERMISSION_DENIED);
    // a range is allowed only if one permission covers all of it: [foo, fop) is wider than the key foo
    assertFails(alice.run("get", "foo", "--prefix"), 1, PERMISSION_DENIED);
    assertFails(alice.run("del", "foo2"), 1, PERMISSION_DENIED);

    assertFails(alice.run("user", "list"), 1, PERMISSION_DENIED);
    assertFails(alice.run("role", "list"), 1, PERMISSION_DENIED);
    assertOk(alice.run("user", "get", "alice"), "User: alice\nRoles: r1\n");
    assertOk(alice.run("role", "get", "r1"), ROLE_R1);
    assertFails(alice.run("user", "get", "root"), 1, PERMISSION_DENIED);
    assertFails(alice.run("role", "get", "root"), 1, PERMISSION_DENIED);

    assertOk(root.run("get", "foo2"), "");
    assertOk(root.run("get", "zz1"), "zz1\nx\n");
  }

  @Test
  void revokingAPermissionOrRoleTakesEffectAtOnce() {
    enableAuthWithAlice();
    assertOk(alice.run("put", "foo", "bar"), "OK\n");
    // granting the same key and range again replaces the permission's type
    assertOk(root.run("role", "grant-permission", "r1", "read", "foo"), "Role r1 updated\n");
    assertOk(root.run("role", "get", "r1"), ROLE_R1.replace("KV Write:\n\tfoo\n", "KV Write:\n"));
    assertFails(alice.run("put", "foo", "again"), 1, PERMISSION_DENIED);
    assertOk(alice.run("get", "foo"), "foo\nbar\n");

    assertOk(root.run("role", "revoke-permission", "r1", "foo"), "Permission of key foo is revoked from role r1\n");
    assertFails(alice.run("get", "foo"), 1, PERMISSION_DENIED);
    assertOk(alice.run("get", "pre/x"), "");

    assertOk(root.run("user", "revoke-role", "alice", "r1"), "Role r1 is revoked from user alice\n");
    assertFails(alice.run("get", "pre/x"), 1, PERMISSION_DENIED);
    assertOk(alice.run("user", "get", "alice"), "User: alice\nRoles:\n");

    // deleting a role also takes it away from every user that had it
    assertOk(root.run("user", "grant-role", "alice", "r1"), "Role r1 is granted to user alice\n");
    assertOk(root.run("role", "delete", "r1"), "Role r1 deleted\n");
    assertOk(root.run("user", "get", "alice"), "User: alice\nRoles:\n");
    assertFails(alice.run("get", "pre/x"), 1, PERMISSION_DENIED);
  }

  @Test
  void managementErrorsAndDisabling() {
    enableAuthWithAlice();
    assertFails(root.run("user", "grant-role", "alice", "nosuch"), 1, "Error: etcdserver: role name not found");
    assertFails(root.run("role", "grant-permission", "nosuch", "read", "x"), 1,
        "Error: etcdserver: role name not found");
    assertFails(root.run("user", "grant-role", "nobody", "r1"), 1, "Error: etcdserver: user name not found");
    assertFails(root.run("user", "add", "alice:other"), 1, "Error: etcdserver: user name already exists");
    assertFails(root.run("role", "add", "r1"), 1, "Error: etcdserver: role name already exists");
    assertFails(root.run("user", "revoke-role", "alice", "root"), 1,
        "Error: etcdserver: role is not granted to the user");
    assertFails(root.run("role", "revoke-permission", "r1", "nokey"), 1,
        "Error: etcdserver: permission is not granted to the role");
    // a permission is identified by its exact key and range end: the key foo is not the range [foo, fop)
    assertFails(root.run("role", "revoke-permission", "r1", "foo", "fop"), 1,
        "Error: etcdserver: permission is not granted to the role");
    assertFails(root.run("user", "delete", "nobody"), 1, "Error: etcdserver: user name not found");
    assertFails(root.run("role", "delete", "nosuch"), 1, "Error: etcdserver: role name not found");
    assertFails(root.run("user", "delete", "root"), 1, "Error: etcdserver: invalid auth management");
    assertFails(root.run("user", "revoke-role", "root", "root"), 1, "Error: etcdserver: invalid auth management");
    assertFails(root.run("role", "delete", "root"), 1, "Error: etcdserver: invalid auth management");
    assertOk(root.run("user", "list"), "alice\nroot\n");
    assertOk(root.run("role", "list"), "r1\nroot\n");

    assertOk(root.run("put", "k", "v"), "OK\n");
    assertFails(alice.run("auth", "disable"), 1, PERMISSION_DENIED);
    assertOk(root.run("auth", "disable"), "Authentication Disabled\n");
    assertOk(anon.run("get", "k"), "k\nv\n");
    assertOk(anon.run("user", "list"), "alice\nroot\n");
    // etcdctl ignores "authentication is not enabled" from Authenticate, so even a wrong password works now
    assertOk(anon.as("alice:wrong").run("get", "k"), "k\nv\n");
    assertOk(anon.run("auth", "disable"), "Authentication Disabled\n");
  }

  @Test
  void changedPasswordReplacesTheOldOne() {
    enableAuthWithAlice();
    assertOk(root.runWithInput("newpw\n", "user", "passwd", "alice", "--interactive=false"), "Password updated\n");
    assertFails(alice.run("get", "foo"), 2, AUTH_FAILED);
    assertOk(anon.as("alice:newpw").run("get", "foo"), "");
    // changing a password is an admin operation, even one's own
    assertFails(anon.as("alice:newpw").runWithInput("x\n", "user", "passwd", "alice", "--interactive=false"), 1,
        PERMISSION_DENIED);
    assertOk(anon.as("alice:newpw").run("get", "foo"), "");
  }

  @Test
  void watchOnAForbiddenKeyIsCancelled() {
    enableAuthWithAlice();
    Duration limit = Duration.ofSeconds(15);
    assertFails(alice.run(limit, null, "watch", "bar"), 5,
        "watch was canceled (rpc error: code = PermissionDenied desc = etcdserver: permission denied)",
        "Error: watch is canceled by the server");
    assertFails(anon.run(limit, null, "watch", "foo"), 5,
        "watch was canceled (rpc error: code = InvalidArgument desc = etcdserver: user name is empty)",
        "Error: watch is canceled by the server");
  }

  @Test
  void txnWithOneForbiddenOperationWritesNothing() {
    enableAuthWithAlice();
    assertOk(root.run("put", "foo", "bar"), "OK\n");
    String mixed = "value(\"foo\") = \"bar\"\n\nput foo viaTxn\nput foo2 x\n\n\n";
    assertFails(alice.runWithInput(mixed, "txn"), 1, PERMISSION_DENIED);
    assertOk(root.run("get", "foo"), "foo\nbar\n");
    assertOk(root.run("get", "foo2"), "");

    String permitted = "value(\"foo\") = \"bar\"\n\nput foo viaTxn\n\n\n";
    assertOk(alice.runWithInput(permitted, "txn"), "SUCCESS\n\nOK\n");
    assertOk(root.run("get", "foo"), "foo\nviaTxn\n");
  }

  @Test
  void compactionNeedsNoCredentials() {
    enableAuth();
    // etcd 3.4 does not permission-check Compact
    assertOk(anon.run("compaction", "1"), "compacted revision 1\n");
  }

  @Test
  void revokingALeaseNeedsWritePermissionOnItsKeys() {
    enableAuthWithAlice();
    assertOk(root.run("user", "add", "bob:bobpw"), "User bob created\n");
    assertOk(root.run("role", "add", "r2"), "Role r2 created\n");
    assertOk(root.run("role", "grant-permission", "r2", "read", "foo"), "Role r2 updated\n");
    assertOk(root.run("user", "grant-role", "bob", "r2"), "Role r2 is granted to user bob\n");
    EtcdctlRunner bob = anon.as("bob:bobpw");

    String lease = grantLease(alice, 100);
    assertOk(alice.run("put", "foo", "leased", "--lease=" + lease), "OK\n");
    assertFails(bob.run("lease", "revoke", lease), 1, "Error: failed to revoke lease (etcdserver: permission denied)");
    assertFails(anon.run("lease", "revoke", lease), 1, "Error: failed to revoke lease (etcdserver: user name is empty)");
    assertOk(bob.run("get", "foo"), "foo\nleased\n");

    assertOk(alice.run("lease", "revoke", lease), "lease " + lease + " revoked\n");
    assertOk(root.run("get", "foo"), "");
  }

  @Test
  void onlyRootChangesMembership() {
    enableAuthWithAlice();
    String url = "http://127.0.0.1:" + io.vkv.node.testing.Ports.freePort();
    assertFails(alice.run("member", "add", "m2", "--learner", "--peer-urls=" + url), 1, PERMISSION_DENIED);
    assertFails(alice.run("member", "remove", "1234"), 1, PERMISSION_DENIED);
    assertFails(alice.run("member", "promote", "1234"), 1, PERMISSION_DENIED);
    assertFails(alice.run("member", "update", "1234", "--peer-urls=" + url), 1, PERMISSION_DENIED);
    // listing is open to every user; root gets past the check to the membership's own answer
    assertEquals(0, alice.run("member", "list").exitCode());
    assertFails(root.run("member", "remove", "1234"), 1, "Error: etcdserver: member not found");
  }

  /** Adds user root and enables auth. */
  private void enableAuth() {
    assertOk(anon.run("user", "add", "root:rootpw"), "User root created\n");
    assertOk(anon.run("auth", "enable"), "Authentication Enabled\n");
  }

  /**
   * Enables auth, then adds alice with role r1: read and write on the key foo, read on the range [k1, k5) and the
   * prefix pre/, write on every key from zz on.
   */
  private void enableAuthWithAlice() {
    enableAuth();
    assertOk(root.run("user", "add", "alice:alicepw"), "User alice created\n");
    assertOk(root.run("role", "add", "r1"), "Role r1 created\n");
    assertOk(root.run("user", "grant-role", "alice", "r1"), "Role r1 is granted to user alice\n");
    // granted out of key order: etcd lists a role's permissions sorted by key
    assertOk(root.run("role", "grant-permission", "r1", "write", "--from-key", "zz"), "Role r1 updated\n");
    assertOk(root.run("role", "grant-permission", "r1", "read", "--prefix", "pre/"), "Role r1 updated\n");
    assertOk(root.run("role", "grant-permission", "r1", "readwrite", "foo"), "Role r1 updated\n");
    assertOk(root.run("role", "grant-permission", "r1", "read", "k1", "k5"), "Role r1 updated\n");
  }

  /** Grants a lease as the given user; returns its id as etcdctl prints it (hex). */
  private static String grantLease(EtcdctlRunner as, int ttl) {
    Result r = as.run("lease", "grant", Integer.toString(ttl));
    assertEquals(0, r.exitCode(), r.toString());
    Matcher m = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\(" + ttl + "s\\)\n").matcher(r.out());
    assertTrue(m.matches(), r.toString());
    return m.group(1);
  }

  private static void assertOk(Result r, String expectedOut) {
    assertEquals(new Result(0, expectedOut, List.of()), r);
  }

  private static void assertFails(Result r, int exitCode, String... errorLines) {
    assertEquals(new Result(exitCode, "", List.of(errorLines)), r);
  }
}
