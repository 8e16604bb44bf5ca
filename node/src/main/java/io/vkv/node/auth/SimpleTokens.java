package io.vkv.node.auth;

import io.vkv.api.internal.InternalRequest;
import io.vkv.api.internal.IssuedToken;
import io.vkv.node.apply.EntryListener;
import io.vkv.store.ApplyResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * etcd's "simple" tokens as every member knows them: learned from applied Authenticate entries (so a token issued
 * through one member works on all), forgotten after a TTL without use, and dropped when auth is disabled or the
 * user is deleted or changes password. Kept in memory only: a restarted member forgets them, as etcd's do. A simple
 * token names a user, nothing more: it stays good across auth changes (unlike etcd's JWT tokens).
 */
public final class SimpleTokens implements EntryListener {
  private record Holder(String user, long expiresAtNanos) {}

  private final Map<String, Holder> tokens = new ConcurrentHashMap<>();
  private final LongSupplier nanoTime;
  private final long ttlNanos;
  private volatile long nextSweepNanos;

  public SimpleTokens(LongSupplier nanoTime, long ttlSeconds) {
    this.nanoTime = nanoTime;
    this.ttlNanos = ttlSeconds * 1_000_000_000L;
    this.nextSweepNanos = nanoTime.getAsLong() + ttlNanos;
  }

  /** The user the token stands for, or null if unknown or expired; a use keeps it alive for another TTL. */
  public String lookup(String token) {
    long now = nanoTime.getAsLong();
    Holder h = tokens.get(token);
    if (h == null) return null;
    if (now - h.expiresAtNanos >= 0) {
      tokens.remove(token, h);
      return null;
    }
    tokens.replace(token, h, new Holder(h.user, now + ttlNanos));
    return h.user;
  }

  /** The log index a token was issued at (the part after the last dot), or -1 if it has no such part. */
  public static long index(String token) {
    int dot = token.lastIndexOf('.');
    if (dot < 0) return -1;
    try {
      return Long.parseLong(token.substring(dot + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public int size() {
    return tokens.size();
  }

  /** Applier thread: entries in log order. */
  @Override
  public void applied(InternalRequest request, ApplyResult result) {
    switch (request.getRequestCase()) {
      case AUTHENTICATE -> {
        IssuedToken t = (IssuedToken) result.response();
        long now = nanoTime.getAsLong();
        tokens.put(t.getToken(), new Holder(t.getName(), now + ttlNanos));
        sweepIfDue(now);
      }
      case AUTH_DISABLE -> tokens.clear();
      case AUTH_USER_DELETE -> forget(request.getAuthUserDelete().getName());
      case AUTH_USER_CHANGE_PASSWORD -> forget(request.getAuthUserChangePassword().getName());
      default -> { }
    }
  }

  /** After a snapshot replaced the store: the tokens of the entries it covers were never seen here. */
  public void clear() {
    tokens.clear();
  }

  private void forget(String user) {
    tokens.values().removeIf(h -> h.user.equals(user));
  }

  /** Unused tokens would otherwise pile up; one pass per TTL keeps the map to the live ones. */
  private void sweepIfDue(long now) {
    if (now - nextSweepNanos < 0) return;
    nextSweepNanos = now + ttlNanos;
    tokens.values().removeIf(h -> now - h.expiresAtNanos >= 0);
  }
}
