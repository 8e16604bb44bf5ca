package io.vkv.node.grpc;

import com.google.protobuf.Message;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vkv.api.EtcdError;
import io.vkv.api.authpb.Role;
import io.vkv.api.authpb.User;
import io.vkv.api.etcdserverpb.AuthDisableRequest;
import io.vkv.api.etcdserverpb.AuthDisableResponse;
import io.vkv.api.etcdserverpb.AuthEnableRequest;
import io.vkv.api.etcdserverpb.AuthEnableResponse;
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
import io.vkv.api.etcdserverpb.AuthService;
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
import io.vkv.api.internal.InternalAuthenticateRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.internal.IssuedToken;
import io.vkv.api.internal.RequestHeader;
import io.vkv.node.auth.AuthGate;
import io.vkv.node.auth.Passwords;
import io.vkv.store.AuthState;
import java.security.SecureRandom;
import java.util.function.Function;

/**
 * etcd's Auth service. Changes go through Raft as the caller (only root may make them once auth is on, checked as
 * they apply); passwords are hashed or checked with bcrypt on a worker thread first, so the log carries hashes only.
 * Gets and lists are linearizable reads of the applied auth state.
 */
public final class AuthEndpoint extends AuthService {
  private static final char[] TOKEN_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();
  /** etcd's simple tokens start with 16 random letters; the log index follows. */
  private static final int TOKEN_PREFIX_LENGTH = 16;
  static final String NO_PASSWORD_USER = "auth: authentication failed, password was given for no password user";

  private final ServerContext server;
  private final Context context;
  private final AuthGate gate;
  private final Passwords passwords;
  private final SecureRandom random = new SecureRandom();

  public AuthEndpoint(ServerContext server, Context context) {
    this.server = server;
    this.context = context;
    this.gate = server.auth();
    this.passwords = new Passwords(server.config().auth().bcryptCost());
  }

  @Override
  public Future<AuthEnableResponse> authEnable(AuthEnableRequest request) {
    return change(b -> b.setAuthEnable(request));
  }

  @Override
  public Future<AuthDisableResponse> authDisable(AuthDisableRequest request) {
    return change(b -> b.setAuthDisable(request));
  }

  /** After a ReadIndex round (as etcd), so that a user, password or enable acknowledged anywhere counts here. */
  @Override
  public Future<AuthenticateResponse> authenticate(AuthenticateRequest request) {
    return Future.fromCompletionStage(server.proposer().readBarrier(), context)
        .recover(e -> Future.failedFuture(GrpcErrors.toStatus(e)))
        .compose(v -> checkAndIssue(request));
  }

  private Future<AuthenticateResponse> checkAndIssue(AuthenticateRequest request) {
    AuthState state = gate.state();
    if (!state.enabled()) return fail(EtcdError.AUTH_NOT_ENABLED);
    User user = state.user(request.getName());
    if (user == null) return fail(EtcdError.AUTH_FAILED);
    if (user.getOptions().getNoPassword()) {
      // etcd 3.4 answers this with an unmapped error: status Unknown and its auth package's text
      return Future.failedFuture(new StatusException(GrpcStatus.UNKNOWN, NO_PASSWORD_USER));
    }
    String hash = user.getPassword().toStringUtf8();
    return blocking(() -> passwords.matches(request.getPassword(), hash)).compose(ok -> {
      if (!ok) return fail(EtcdError.AUTH_FAILED);
      InternalAuthenticateRequest entry = InternalAuthenticateRequest.newBuilder().setName(request.getName())
          .setCheckedHash(hash).setSimpleToken(tokenPrefix()).build();
      return GrpcProposer.propose(server, InternalRequest.newBuilder().setAuthenticate(entry).build(), context)
          .map(r -> AuthenticateResponse.newBuilder().setHeader(server.header(r.revision()))
              .setToken(gate.tokenFor(request.getName(), ((IssuedToken) r.response()).getToken())).build());
    });
  }

  @Override
  public Future<AuthUserAddResponse> userAdd(AuthUserAddRequest request) {
    if (request.getName().isEmpty()) return fail(EtcdError.USER_EMPTY);
    return caller().compose(who -> (request.getOptions().getNoPassword()
            ? Future.succeededFuture("") : blocking(() -> passwords.hash(request.getPassword())))
        .compose(hash -> change(who, b -> b.setAuthUserAdd(request.toBuilder().clearPassword().setHashedPassword(hash)))));
  }

  @Override
  public Future<AuthUserChangePasswordResponse> userChangePassword(AuthUserChangePasswordRequest request) {
    return caller().compose(who -> blocking(() -> passwords.hash(request.getPassword())).compose(hash -> change(who,
        b -> b.setAuthUserChangePassword(request.toBuilder().clearPassword().setHashedPassword(hash)))));
  }

  @Override
  public Future<AuthUserDeleteResponse> userDelete(AuthUserDeleteRequest request) {
    return change(b -> b.setAuthUserDelete(request));
  }

  @Override
  public Future<AuthUserGrantRoleResponse> userGrantRole(AuthUserGrantRoleRequest request) {
    return change(b -> b.setAuthUserGrantRole(request));
  }

  @Override
  public Future<AuthUserRevokeRoleResponse> userRevokeRole(AuthUserRevokeRoleRequest request) {
    return change(b -> b.setAuthUserRevokeRole(request));
  }

  @Override
  public Future<AuthRoleAddResponse> roleAdd(AuthRoleAddRequest request) {
    return change(b -> b.setAuthRoleAdd(request));
  }

  @Override
  public Future<AuthRoleDeleteResponse> roleDelete(AuthRoleDeleteRequest request) {
    return change(b -> b.setAuthRoleDelete(request));
  }

  @Override
  public Future<AuthRoleGrantPermissionResponse> roleGrantPermission(AuthRoleGrantPermissionRequest request) {
    return change(b -> b.setAuthRoleGrantPermission(request));
  }

  @Override
  public Future<AuthRoleRevokePermissionResponse> roleRevokePermission(AuthRoleRevokePermissionRequest request) {
    return change(b -> b.setAuthRoleRevokePermission(request));
  }

  /** A user may read their own record; others need root. */
  @Override
  public Future<AuthUserGetResponse> userGet(AuthUserGetRequest request) {
    return read((who, state) -> {
      if (!who.getUsername().equals(request.getName())) state.checkAdmin(who);
      User u = state.user(request.getName());
      if (u == null) throw EtcdError.USER_NOT_FOUND.exception();
      return AuthUserGetResponse.newBuilder().setHeader(server.currentHeader()).addAllRoles(u.getRolesList()).build();
    });
  }

  @Override
  public Future<AuthUserListResponse> userList(AuthUserListRequest request) {
    return read((who, state) -> {
      state.checkAdmin(who);
      return AuthUserListResponse.newBuilder().setHeader(server.currentHeader()).addAllUsers(state.userNames()).build();
    });
  }

  /** A user may read a role they hold; others need root. */
  @Override
  public Future<AuthRoleGetResponse> roleGet(AuthRoleGetRequest request) {
    return read((who, state) -> {
      if (!state.hasRole(who.getUsername(), request.getRole())) state.checkAdmin(who);
      Role r = state.role(request.getRole());
      if (r == null) throw EtcdError.ROLE_NOT_FOUND.exception();
      return AuthRoleGetResponse.newBuilder().setHeader(server.currentHeader()).addAllPerm(r.getKeyPermissionList()).build();
    });
  }

  @Override
  public Future<AuthRoleListResponse> roleList(AuthRoleListRequest request) {
    return read((who, state) -> {
      state.checkAdmin(who);
      return AuthRoleListResponse.newBuilder().setHeader(server.currentHeader()).addAllRoles(state.roleNames()).build();
    });
  }

  private interface AuthRead<T> {
    T answer(RequestHeader who, AuthState state);
  }

  /** After a ReadIndex round, so that a get sees every change acknowledged before it. */
  private <T> Future<T> read(AuthRead<T> answer) {
    return caller().compose(who -> Future.fromCompletionStage(server.proposer().readBarrier(), context).transform(ar -> {
      try {
        if (ar.failed()) throw ar.cause();
        return Future.succeededFuture(answer.answer(who, gate.state()));
      } catch (Throwable e) {
        return Future.failedFuture(GrpcErrors.toStatus(e));
      }
    }));
  }

  /** The caller of the call being served (resolved now, on the call's context); fails for a bad token. */
  private Future<RequestHeader> caller() {
    try {
      return Future.succeededFuture(gate.caller());
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcErrors.toStatus(e));
    }
  }

  private <T extends Message> Future<T> change(Function<InternalRequest.Builder, InternalRequest.Builder> entry) {
    return caller().compose(who -> change(who, entry));
  }

  private <T extends Message> Future<T> change(RequestHeader who, Function<InternalRequest.Builder, InternalRequest.Builder> entry) {
    InternalRequest request = entry.apply(InternalRequest.newBuilder().setHeader(who)).build();
    return GrpcProposer.propose(server, request, context)
        .map(r -> GrpcProposer.<T>withHeader(r.response(), server.header(r.revision())));
  }

  private <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
    return context.owner().executeBlocking(work, false);
  }

  private String tokenPrefix() {
    char[] out = new char[TOKEN_PREFIX_LENGTH];
    for (int i = 0; i < out.length; i++) out[i] = TOKEN_LETTERS[random.nextInt(TOKEN_LETTERS.length)];
    return new String(out);
  }

  private static <T> Future<T> fail(EtcdError error) {
    return Future.failedFuture(GrpcErrors.toStatus(error.exception()));
  }
}
