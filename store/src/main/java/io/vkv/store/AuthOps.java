package io.vkv.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.vkv.api.EtcdError;
import io.vkv.api.authpb.Permission;
import io.vkv.api.authpb.Role;
import io.vkv.api.authpb.User;
import io.vkv.api.etcdserverpb.AuthDisableResponse;
import io.vkv.api.etcdserverpb.AuthEnableResponse;
import io.vkv.api.etcdserverpb.AuthRoleAddResponse;
import io.vkv.api.etcdserverpb.AuthRoleDeleteResponse;
import io.vkv.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.vkv.api.etcdserverpb.AuthRoleGrantPermissionResponse;
import io.vkv.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.vkv.api.etcdserverpb.AuthRoleRevokePermissionResponse;
import io.vkv.api.etcdserverpb.AuthUserAddRequest;
import io.vkv.api.etcdserverpb.AuthUserAddResponse;
import io.vkv.api.etcdserverpb.AuthUserChangePasswordResponse;
import io.vkv.api.etcdserverpb.AuthUserDeleteResponse;
import io.vkv.api.etcdserverpb.AuthUserGrantRoleResponse;
import io.vkv.api.etcdserverpb.AuthUserRevokeRoleResponse;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.internal.AuthRecord;
import io.vkv.api.internal.InternalAuthenticateRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.internal.IssuedToken;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.lmdbjava.Txn;

/**
 * Auth management entries as applied on every member, with etcd 3.4's rules and errors. Passwords arrive already
 * hashed (the serving member hashed or checked them), so applying needs no CPU-heavy bcrypt and is deterministic.
 * Every change bumps the auth revision; a no-op (enabling twice, granting a role held already) does not.
 */
final class AuthOps {
  private static final Comparator<Permission> PERMISSION_ORDER = Comparator
      .comparing(Permission::getKey, ByteString.unsignedLexicographicalComparator())
      .thenComparing(Permission::getRangeEnd, ByteString.unsignedLexicographicalComparator());

  static boolean isAuthEntry(InternalRequest r) {
    return switch (r.getRequestCase()) {
      case AUTH_ENABLE, AUTH_DISABLE, AUTH_USER_ADD, AUTH_USER_DELETE, AUTH_USER_CHANGE_PASSWORD,
          AUTH_USER_GRANT_ROLE, AUTH_USER_REVOKE_ROLE, AUTH_ROLE_ADD, AUTH_ROLE_DELETE, AUTH_ROLE_GRANT_PERMISSION,
          AUTH_ROLE_REVOKE_PERMISSION -> true;
      default -> false;
    };
  }

  /** Applies a management entry; returns its response and leaves the new state in {@code s.auth}. */
  static Message apply(Tables t, Txn<ByteBuffer> txn, InternalRequest r, BatchState s) {
    AuthState a = s.auth;
    ResponseHeader h = KvOps.header(s.revision);
    switch (r.getRequestCase()) {
      case AUTH_ENABLE -> {
        if (!a.enabled()) {
          User root = a.user(AuthState.ROOT);
          if (root == null) throw EtcdError.ROOT_USER_NOT_EXIST.exception();
          if (!root.getRolesList().contains(AuthState.ROOT)) throw EtcdError.ROOT_ROLE_NOT_EXIST.exception();
          change(t, txn, s, b -> b.setEnabled(true));
        }
        return AuthEnableResponse.newBuilder().setHeader(h).build();
      }
      case AUTH_DISABLE -> {
        if (a.enabled()) change(t, txn, s, b -> b.setEnabled(false));
        return AuthDisableResponse.newBuilder().setHeader(h).build();
      }
      case AUTH_USER_ADD -> {
        AuthUserAddRequest u = r.getAuthUserAdd();
        if (u.getName().isEmpty()) throw EtcdError.USER_EMPTY.exception();
        if (a.user(u.getName()) != null) throw EtcdError.USER_ALREADY_EXIST.exception();
        User user = User.newBuilder().setName(ByteString.copyFromUtf8(u.getName()))
            .setPassword(ByteString.copyFromUtf8(u.getHashedPassword())).setOptions(u.getOptions()).build();
        change(t, txn, s, b -> b.addUsers(user));
        return AuthUserAddResponse.newBuilder().setHeader(h).build();
      }
      case AUTH_USER_DELETE -> {
        String name = r.getAuthUserDelete().getName();
        if (a.enabled() && name.equals(AuthState.ROOT)) throw EtcdError.INVALID_AUTH_MGMT.exception();
        if (a.user(name) == null) throw EtcdError.USER_NOT_FOUND.exception();
        change(t, txn, s, b -> replaceUsers(b, name, null));
        return AuthUserDeleteResponse.newBuilder().setHeader(h).build();
      }
      case AUTH_USER_CHANGE_PASSWORD -> {
        var c = r.getAuthUserChangePassword();
        User u = a.user(c.getName());
        if (u == null) throw EtcdError.USER_NOT_FOUND.exception();
        User changed = u.toBuilder().setPassword(ByteString.copyFromUtf8(c.getHashedPassword())).build();
        change(t, txn, s, b -> replaceUsers(b, c.getName(), changed));
        return AuthUserChangePasswordResponse.newBuilder().setHeader(h).build();
      }
      case AUTH_USER_GRANT_ROLE -> {
        var g = r.getAuthUserGrantRole();
        User u = a.user(g.getUser());
        if (u == null) throw EtcdError.USER_NOT_FOUND.exception();
        if (!g.getRole().equals(AuthState.ROOT) && a.role(g.getRole()) == null) throw EtcdError.ROLE_NOT_FOUND.exception();
        if (!u.getRolesList().contains(g.getRole())) {
          List<String> roles = new ArrayList<>(u.getRolesList());
          roles.add(g.getRole());
          roles.sort(null);
          User granted = u.toBuilder().clearRoles().addAllRoles(roles).build();
          change(t, txn, s, b -> replaceUsers(b, g.getUser(), granted));
        }
        return AuthUserGrantRoleResponse.newBuilder().setHeader(h).build();
      }
      case AUTH_USER_REVOKE_ROLE -> {
        var v = r.getAuthUserRevokeRole();
        if (a.enabled() && v.getName().equals(AuthState.ROOT) && v.getRole().equals(AuthState.ROOT)) {
          throw EtcdError.INVALID_AUTH_MGMT.exception();
        }
        User u = a.user(v.getName());
        if (u == null) throw EtcdError.USER_NOT_FOUND.exception();
        if (!u.getRolesList().contains(v.getRole())) throw EtcdError.ROLE_NOT_GRANTED.exception();
        User revoked = withoutRole(u, v.getRole());
        change(t, txn, s, b -> replaceUsers(b, v.getName(), revoked));
        return AuthUserRevokeRoleResponse.newBuilder().setHeader(h).build();
      }
      case AUTH_ROLE_ADD -> {
        String name = r.getAuthRoleAdd().getName();
        if (name.isEmpty()) throw EtcdError.ROLE_EMPTY.exception();
        if (a.role(name) != null) throw EtcdError.ROLE_ALREADY_EXIST.exception();
        change(t, txn, s, b -> b.addRoles(Role.newBuilder().setName(ByteString.copyFromUtf8(name))));
        return AuthRoleAddResponse.newBuilder().setHeader(h).build();
      }
      case AUTH_ROLE_DELETE -> {
        String name = r.getAuthRoleDelete().getRole();
        if (a.enabled() && name.equals(AuthState.ROOT)) throw EtcdError.INVALID_AUTH_MGMT.exception();
        if (a.role(name) == null) throw EtcdError.ROLE_NOT_FOUND.exception();
        change(t, txn, s, b -> {
          replaceRole(b, name, null);
          // like etcd: users lose the deleted role
          List<User> users = new ArrayList<>();
          for (User u : b.getUsersList()) users.add(u.getRolesList().contains(name) ? withoutRole(u, name) : u);
          return b.clearUsers().addAllUsers(users);
        });
        return AuthRoleDeleteResponse.newBuilder().setHeader(h).build();
      }
      case AUTH_ROLE_GRANT_PERMISSION -> {
        AuthRoleGrantPermissionRequest g = r.getAuthRoleGrantPermission();
        Role role = a.role(g.getName());
        if (role == null) throw EtcdError.ROLE_NOT_FOUND.exception();
        List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
        // the same range granted again replaces its type (etcd)
        perms.removeIf(p -> p.getKey().equals(g.getPerm().getKey()) && p.getRangeEnd().equals(g.getPerm().getRangeEnd()));
        perms.add(g.getPerm());
        perms.sort(PERMISSION_ORDER);
        Role granted = role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build();
        change(t, txn, s, b -> replaceRole(b, g.getName(), granted));
        return AuthRoleGrantPermissionResponse.newBuilder().setHeader(h).build();
      }
      case AUTH_ROLE_REVOKE_PERMISSION -> {
        AuthRoleRevokePermissionRequest v = r.getAuthRoleRevokePermission();
        Role role = a.role(v.getRole());
        if (role == null) throw EtcdError.ROLE_NOT_FOUND.exception();
        List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
        if (!perms.removeIf(p -> p.getKey().equals(v.getKey()) && p.getRangeEnd().equals(v.getRangeEnd()))) {
          throw EtcdError.PERMISSION_NOT_GRANTED.exception();
        }
        Role revoked = role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build();
        change(t, txn, s, b -> replaceRole(b, v.getRole(), revoked));
        return AuthRoleRevokePermissionResponse.newBuilder().setHeader(h).build();
      }
      default -> throw new IllegalArgumentException("not an auth management entry: " + r.getRequestCase());
    }
  }

  /**
   * An Authenticate entry: the serving member checked the password against {@code checked_hash}; if the password
   * changed before this entry applied, the check was against a stale hash and the call fails.
   */
  static IssuedToken authenticate(AuthState a, InternalAuthenticateRequest r, long index) {
    if (!a.enabled()) throw EtcdError.AUTH_NOT_ENABLED.exception();
    User u = a.user(r.getName());
    if (u == null || u.getOptions().getNoPassword() || !u.getPassword().toStringUtf8().equals(r.getCheckedHash())) {
      throw EtcdError.AUTH_FAILED.exception();
    }
    return IssuedToken.newBuilder().setToken(r.getSimpleToken() + "." + index).setName(r.getName()).build();
  }

  private static void change(Tables t, Txn<ByteBuffer> txn, BatchState s, UnaryOperator<AuthRecord.Builder> edit) {
    AuthRecord.Builder b = edit.apply(s.auth.record().toBuilder());
    s.auth = AuthRecords.write(t, txn, b.setRevision(s.auth.revision() + 1).build());
  }

  private static AuthRecord.Builder replaceUsers(AuthRecord.Builder b, String name, User replacement) {
    List<User> users = new ArrayList<>(b.getUsersList());
    users.removeIf(u -> u.getName().toStringUtf8().equals(name));
    if (replacement != null) users.add(replacement);
    return b.clearUsers().addAllUsers(users);
  }

  private static AuthRecord.Builder replaceRole(AuthRecord.Builder b, String name, Role replacement) {
    List<Role> roles = new ArrayList<>(b.getRolesList());
    roles.removeIf(r -> r.getName().toStringUtf8().equals(name));
    if (replacement != null) roles.add(replacement);
    return b.clearRoles().addAllRoles(roles);
  }

  private static User withoutRole(User u, String role) {
    List<String> roles = new ArrayList<>(u.getRolesList());
    roles.remove(role);
    return u.toBuilder().clearRoles().addAllRoles(roles).build();
  }

  private AuthOps() {}
}
