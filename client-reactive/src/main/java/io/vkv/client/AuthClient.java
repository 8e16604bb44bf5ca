package io.vkv.client;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vkv.api.authpb.Permission;
import io.vkv.api.authpb.UserAddOptions;
import io.vkv.api.etcdserverpb.AuthDisableRequest;
import io.vkv.api.etcdserverpb.AuthDisableResponse;
import io.vkv.api.etcdserverpb.AuthEnableRequest;
import io.vkv.api.etcdserverpb.AuthEnableResponse;
import io.vkv.api.etcdserverpb.AuthGrpcClient;
import io.vkv.api.etcdserverpb.AuthRoleAddRequest;
import io.vkv.api.etcdserverpb.AuthRoleAddResponse;
import io.vkv.api.etcdserverpb.AuthRoleDeleteRequest;
import io.vkv.api.etcdserverpb.AuthRoleDeleteResponse;
import io.vkv.api.etcdserverpb.AuthRoleGetRequest;
import io.vkv.api.etcdserverpb.AuthRoleGetResponse;
import io.vkv.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.vkv.api.etcdserverpb.AuthRoleGrantPermissionResponse;
import io.vkv.api.etcdserverpb.AuthRoleListRequest;
import io.vkv.api.etcdserverpb.AuthRoleListResponse;
import io.vkv.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.vkv.api.etcdserverpb.AuthRoleRevokePermissionResponse;
import io.vkv.api.etcdserverpb.AuthUserAddRequest;
import io.vkv.api.etcdserverpb.AuthUserAddResponse;
import io.vkv.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.vkv.api.etcdserverpb.AuthUserChangePasswordResponse;
import io.vkv.api.etcdserverpb.AuthUserDeleteRequest;
import io.vkv.api.etcdserverpb.AuthUserDeleteResponse;
import io.vkv.api.etcdserverpb.AuthUserGetRequest;
import io.vkv.api.etcdserverpb.AuthUserGetResponse;
import io.vkv.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.vkv.api.etcdserverpb.AuthUserGrantRoleResponse;
import io.vkv.api.etcdserverpb.AuthUserListRequest;
import io.vkv.api.etcdserverpb.AuthUserListResponse;
import io.vkv.api.etcdserverpb.AuthUserRevokeRoleRequest;
import io.vkv.api.etcdserverpb.AuthUserRevokeRoleResponse;
import io.vkv.api.etcdserverpb.AuthenticateRequest;
import io.vkv.api.etcdserverpb.AuthenticateResponse;

/**
 * etcd's Auth service. With auth enabled every call here but {@link #authenticate} needs the root role (the client
 * must be created with a root user's credentials). Reads (get, list), authenticate and the grants (granting twice
 * is the same as once) fail over to another endpoint on UNAVAILABLE; every other change is not retried once sent:
 * a repeated add or delete would fail with "already exists" / "not found" although the first one worked.
 * Errors are etcd's, e.g. {@code etcdserver: user name already exists}, {@code etcdserver: role name not found},
 * {@code etcdserver: root user does not exist} (enable before adding root), {@code etcdserver: permission denied}.
 */
public final class AuthClient {
  private final Invoker invoker;

  AuthClient(Invoker invoker) {
    this.invoker = invoker;
  }

  /** Turns auth on; needs a user "root" holding the role "root". */
  public Future<AuthEnableResponse> authEnable() {
    return invoker.call(AuthGrpcClient.AuthEnable, AuthEnableRequest.getDefaultInstance(), false);
  }

  public Future<AuthDisableResponse> authDisable() {
    return invoker.call(AuthGrpcClient.AuthDisable, AuthDisableRequest.getDefaultInstance(), true);
  }

  /**
   * A token for {@code name}, as the client fetches for itself when created with credentials; for tools that hand
   * tokens on. Fails with {@code etcdserver: authentication failed, invalid user ID or password}.
   */
  public Future<AuthenticateResponse> authenticate(String name, String password) {
    AuthenticateRequest req = AuthenticateRequest.newBuilder().setName(name).setPassword(password).build();
    return invoker.call(AuthGrpcClient.Authenticate, req, true);
  }

  public Future<AuthUserAddResponse> userAdd(String name, String password) {
    AuthUserAddRequest req = AuthUserAddRequest.newBuilder().setName(name).setPassword(password).build();
    return invoker.call(AuthGrpcClient.UserAdd, req, false);
  }

  /** A user who cannot authenticate with a password (for certificate-based identities). */
  public Future<AuthUserAddResponse> userAddWithoutPassword(String name) {
    AuthUserAddRequest req = AuthUserAddRequest.newBuilder().setName(name)
        .setOptions(UserAddOptions.newBuilder().setNoPassword(true)).build();
    return invoker.call(AuthGrpcClient.UserAdd, req, false);
  }

  /** The user's roles. */
  public Future<AuthUserGetResponse> userGet(String name) {
    return invoker.call(AuthGrpcClient.UserGet, AuthUserGetRequest.newBuilder().setName(name).build(), true);
  }

  public Future<AuthUserListResponse> userList() {
    return invoker.call(AuthGrpcClient.UserList, AuthUserListRequest.getDefaultInstance(), true);
  }

  public Future<AuthUserDeleteResponse> userDelete(String name) {
    return invoker.call(AuthGrpcClient.UserDelete, AuthUserDeleteRequest.newBuilder().setName(name).build(), false);
  }

  public Future<AuthUserChangePasswordResponse> userChangePassword(String name, String password) {
    AuthUserChangePasswordRequest req = AuthUserChangePasswordRequest.newBuilder().setName(name).setPassword(password).build();
    return invoker.call(AuthGrpcClient.UserChangePassword, req, false);
  }

  public Future<AuthUserGrantRoleResponse> userGrantRole(String user, String role) {
    AuthUserGrantRoleRequest req = AuthUserGrantRoleRequest.newBuilder().setUser(user).setRole(role).build();
    return invoker.call(AuthGrpcClient.UserGrantRole, req, true);
  }

  public Future<AuthUserRevokeRoleResponse> userRevokeRole(String user, String role) {
    AuthUserRevokeRoleRequest req = AuthUserRevokeRoleRequest.newBuilder().setName(user).setRole(role).build();
    return invoker.call(AuthGrpcClient.UserRevokeRole, req, false);
  }

  public Future<AuthRoleAddResponse> roleAdd(String name) {
    return invoker.call(AuthGrpcClient.RoleAdd, AuthRoleAddRequest.newBuilder().setName(name).build(), false);
  }

  /** The role's permissions. */
  public Future<AuthRoleGetResponse> roleGet(String role) {
    return invoker.call(AuthGrpcClient.RoleGet, AuthRoleGetRequest.newBuilder().setRole(role).build(), true);
  }

  public Future<AuthRoleListResponse> roleList() {
    return invoker.call(AuthGrpcClient.RoleList, AuthRoleListRequest.getDefaultInstance(), true);
  }

  public Future<AuthRoleDeleteResponse> roleDelete(String role) {
    return invoker.call(AuthGrpcClient.RoleDelete, AuthRoleDeleteRequest.newBuilder().setRole(role).build(), false);
  }

  /** Lets {@code role} read, write or both on the one key {@code key}. */
  public Future<AuthRoleGrantPermissionResponse> roleGrantPermission(String role, Permission.Type type, String key) {
    return roleGrantPermission(role, type, Bytes.of(key), ByteString.EMPTY);
  }

  /**
   * Lets {@code role} read, write or both on the keys in [key, rangeEnd); a range end of "\0" ({@link
   * Bytes#ALL_FROM_KEY}) means every key from {@code key} on, an empty one only {@code key}.
   */
  public Future<AuthRoleGrantPermissionResponse> roleGrantPermission(String role, Permission.Type type, String key,
      String rangeEnd) {
    return roleGrantPermission(role, type, Bytes.of(key), Bytes.of(rangeEnd));
  }

  public Future<AuthRoleGrantPermissionResponse> roleGrantPermission(String role, Permission.Type type, Buffer key,
      Buffer rangeEnd) {
    return roleGrantPermission(role, type, Bytes.of(key), Bytes.of(rangeEnd));
  }

  /** Lets {@code role} read, write or both on every key starting with {@code prefix} (etcdctl's {@code --prefix}). */
  public Future<AuthRoleGrantPermissionResponse> roleGrantPermissionPrefix(String role, Permission.Type type,
      String prefix) {
    ByteString key = Bytes.of(prefix);
    return roleGrantPermission(role, type, key, Bytes.prefixEnd(key));
  }

  public Future<AuthRoleGrantPermissionResponse> roleGrantPermissionPrefix(String role, Permission.Type type,
      Buffer prefix) {
    ByteString key = Bytes.of(prefix);
    return roleGrantPermission(role, type, key, Bytes.prefixEnd(key));
  }

  /** A prepared permission, e.g. one read back with {@link #roleGet}. */
  public Future<AuthRoleGrantPermissionResponse> roleGrantPermission(String role, Permission permission) {
    AuthRoleGrantPermissionRequest req = AuthRoleGrantPermissionRequest.newBuilder().setName(role).setPerm(permission).build();
    return invoker.call(AuthGrpcClient.RoleGrantPermission, req, true);
  }

  private Future<AuthRoleGrantPermissionResponse> roleGrantPermission(String role, Permission.Type type, ByteString key,
      ByteString rangeEnd) {
    return roleGrantPermission(role, Permission.newBuilder().setPermType(type).setKey(key).setRangeEnd(rangeEnd).build());
  }

  /** Takes back the permission granted on exactly [key, rangeEnd) (an empty range end: the one key). */
  public Future<AuthRoleRevokePermissionResponse> roleRevokePermission(String role, String key, String rangeEnd) {
    return roleRevokePermission(role, Bytes.of(key), Bytes.of(rangeEnd));
  }

  public Future<AuthRoleRevokePermissionResponse> roleRevokePermission(String role, Buffer key, Buffer rangeEnd) {
    return roleRevokePermission(role, Bytes.of(key), Bytes.of(rangeEnd));
  }

  /** Takes back a permission granted with {@link #roleGrantPermissionPrefix}. */
  public Future<AuthRoleRevokePermissionResponse> roleRevokePermissionPrefix(String role, String prefix) {
    ByteString key = Bytes.of(prefix);
    return roleRevokePermission(role, key, Bytes.prefixEnd(key));
  }

  private Future<AuthRoleRevokePermissionResponse> roleRevokePermission(String role, ByteString key, ByteString rangeEnd) {
    AuthRoleRevokePermissionRequest req = AuthRoleRevokePermissionRequest.newBuilder().setRole(role).setKey(key)
        .setRangeEnd(rangeEnd).build();
    return invoker.call(AuthGrpcClient.RoleRevokePermission, req, false);
  }
}
