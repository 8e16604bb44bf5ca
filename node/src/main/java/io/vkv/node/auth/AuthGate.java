package io.vkv.node.auth;

import com.google.protobuf.ByteString;
import io.vkv.api.EtcdError;
import io.vkv.api.internal.RequestHeader;
import io.vkv.store.AuthState;
import io.vkv.store.MvccStore;

/**
 * Who a client call runs as. With auth off every call is anonymous and allowed; with auth on, a call without a token
 * runs as nobody (refused wherever a user is needed), and an unknown or expired token is refused at once with
 * etcd's "invalid auth token" (clients then authenticate again).
 */
public final class AuthGate {
  private static final RequestHeader NOBODY = RequestHeader.getDefaultInstance();

  private final MvccStore store;
  private final SimpleTokens tokens;

  public AuthGate(MvccStore store, SimpleTokens tokens) {
    this.store = store;
    this.tokens = tokens;
  }

  /** The caller of the call being served on this thread (see {@link RequestTokens}). */
  public RequestHeader caller() {
    if (!store.auth().enabled()) return NOBODY; // the common case costs one volatile read
    return resolve(RequestTokens.current());
  }

  /** The user a token stands for; throws INVALID_AUTH_TOKEN for an unknown one while auth is on. */
  public RequestHeader resolve(String token) {
    if (token == null || !store.auth().enabled()) return NOBODY;
    RequestHeader who = tokens.lookup(token);
    if (who == null) throw EtcdError.INVALID_AUTH_TOKEN.exception();
    return who;
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
