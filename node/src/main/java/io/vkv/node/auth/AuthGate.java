package io.vkv.node.auth;

import com.google.protobuf.ByteString;
import io.vkv.api.EtcdError;
import io.vkv.api.internal.RequestHeader;
import io.vkv.node.apply.AppliedIndexWaits;
import io.vkv.store.AuthState;
import io.vkv.store.MvccReader;
import java.util.concurrent.CompletableFuture;

/**
 * Who a client call runs as. With auth off every call is anonymous and allowed; with auth on, a call without a token
 * runs as nobody (refused wherever a user is needed), and an unknown or expired token is refused at once with
 * etcd's "invalid auth token" (clients then authenticate again).
 */
public final class AuthGate {
  private static final RequestHeader NOBODY = RequestHeader.getDefaultInstance();

  private final MvccReader store;
  private final SimpleTokens tokens;
  private final AppliedIndexWaits applied;

  /** null: simple tokens */
  private final JwtTokens jwt;

  public AuthGate(MvccReader store, SimpleTokens tokens, AppliedIndexWaits applied) {
    this(store, tokens, applied, null);
  }

  public AuthGate(MvccReader store, SimpleTokens tokens, AppliedIndexWaits applied, JwtTokens jwt) {
    this.jwt = jwt;
    this.store = store;
    this.tokens = tokens;
    this.applied = applied;
  }

  /**
   * Null when a call with this token may be served now; otherwise completes once this member has applied the
   * Authenticate entry the token came from: a token ends in that entry's log index (etcd's simple-token form), and a
   * member that lags behind the one that issued it must not call it invalid.
   */
  public CompletableFuture<Void> tokenReady(String token) {
    if (token == null || jwt != null || !store.auth().enabled()) return null;
    long index = SimpleTokens.index(token); // a token known here was learned at or below the applied index
    if (index <= 0) return null;
    CompletableFuture<Void> ready = applied.until(index);
    return ready.isDone() ? null : ready;
  }

  /** The caller of the call being served on this thread (see {@link RequestTokens}). */
  public RequestHeader caller() {
    if (!store.auth().enabled()) return NOBODY; // the common case costs one volatile read
    return resolve(RequestTokens.credentials());
  }

  /**
   * The user of a call: its token's if it sent one (as etcd, a token wins over the certificate), else the CN of its
   * client certificate, which the TLS handshake verified (etcd's rule with --client-cert-auth); else nobody.
   */
  public RequestHeader resolve(RequestTokens.Credentials who) {
    AuthState state = store.auth();
    if (!state.enabled()) return NOBODY;
    if (who.token() != null) return resolve(who.token());
    if (who.certificateUser() != null) {
      return RequestHeader.newBuilder().setUsername(who.certificateUser()).setAuthRevision(state.revision()).build();
    }
    return NOBODY;
  }

  /**
   * The user a token stands for; throws INVALID_AUTH_TOKEN for an unknown one while auth is on. As with etcd's simple
   * tokens, the header carries the auth revision of now: a write fails with "revision of auth store is old" only if
   * users or roles change between this moment and the write's turn in the log.
   */
  public RequestHeader resolve(String token) {
    AuthState state = store.auth();
    if (token == null || !state.enabled()) return NOBODY;
    if (jwt != null) {
      // the revision is the token's: a change of users or roles since it was issued makes it "old" (etcd's JWT)
      JwtTokens.Claims claims = jwt.verify(token);
      if (claims == null) throw EtcdError.INVALID_AUTH_TOKEN.exception();
      return RequestHeader.newBuilder().setUsername(claims.username()).setAuthRevision(claims.revision()).build();
    }
    String user = tokens.lookup(token);
    if (user == null) throw EtcdError.INVALID_AUTH_TOKEN.exception();
    return RequestHeader.newBuilder().setUsername(user).setAuthRevision(state.revision()).build();
  }

  /**
   * The token Authenticate answers once its entry applied: the simple token the entry made, or with JWT a token
   * signed here for the auth revision now applied.
   */
  public String tokenFor(String user, String simpleToken) {
    return jwt == null ? simpleToken : jwt.issue(user, store.auth().revision());
  }

  public AuthState state() {
    return store.auth();
  }

  public boolean enabled() {
    return store.auth().enabled();
  }

  public void checkRead(RequestHeader who, ByteString key, ByteString rangeEnd) {
    store.auth().checkRead(who, key, rangeEnd);
  }

  public void checkAdmin(RequestHeader who) {
    store.auth().checkAdmin(who);
  }
}
