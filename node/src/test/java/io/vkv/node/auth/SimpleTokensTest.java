package io.vkv.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vkv.api.etcdserverpb.AuthDisableRequest;
import io.vkv.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.vkv.api.etcdserverpb.AuthUserDeleteRequest;
import io.vkv.api.internal.InternalAuthenticateRequest;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.internal.IssuedToken;
import io.vkv.store.ApplyResult;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Simple tokens with a hand-moved clock: learned from applied entries, alive for a TTL after each use. */
class SimpleTokensTest {
  private long now = 1_000;
  private final SimpleTokens tokens = new SimpleTokens(() -> now, 300);

  private void issue(String token, String user) {
    tokens.applied(InternalRequest.newBuilder().setAuthenticate(InternalAuthenticateRequest.newBuilder().setName(user)).build(),
        new ApplyResult(1, 0, IssuedToken.newBuilder().setToken(token).setName(user).build(),
            null, 1, List.of()));
  }

  private void advanceSeconds(long s) {
    now += TimeUnit.SECONDS.toNanos(s);
  }

  @Test
  void aTokenStandsForItsUser() {
    issue("abc.5", "alice");
    assertEquals("alice", tokens.lookup("abc.5"));
    assertNull(tokens.lookup("abc.6"));
  }

  @Test
  void anUnusedTokenExpiresAfterTheTtlAndEachUseExtendsIt() {
    issue("t.1", "alice");
    advanceSeconds(299);
    assertEquals("alice", tokens.lookup("t.1")); // used: alive until 299 + 300
    advanceSeconds(299);
    assertEquals("alice", tokens.lookup("t.1"));
    advanceSeconds(300);
    assertNull(tokens.lookup("t.1"));
  }

  @Test
  void expiredTokensAreSweptWhenNewOnesAreIssued() {
    issue("old.1", "alice");
    advanceSeconds(301);
    issue("new.2", "bob");
    assertEquals(1, tokens.size());
  }

  @Test
  void disablingAuthDropsEveryTokenAndDeletingOrChangingAUserDropsTheirs() {
    issue("a.1", "alice");
    issue("a.2", "alice");
    issue("b.3", "bob");
    issue("c.4", "carol");
    tokens.applied(InternalRequest.newBuilder().setAuthUserChangePassword(AuthUserChangePasswordRequest.newBuilder().setName("alice")).build(), null);
    assertNull(tokens.lookup("a.1"));
    assertNull(tokens.lookup("a.2"));
    assertEquals("bob", tokens.lookup("b.3"));
    tokens.applied(InternalRequest.newBuilder().setAuthUserDelete(AuthUserDeleteRequest.newBuilder().setName("bob")).build(), null);
    assertNull(tokens.lookup("b.3"));
    assertEquals("carol", tokens.lookup("c.4"));
    tokens.applied(InternalRequest.newBuilder().setAuthDisable(AuthDisableRequest.getDefaultInstance()).build(), null);
    assertEquals(0, tokens.size());
  }
}
