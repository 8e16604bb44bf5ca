package io.vkv.node.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which :authority values are rewritten: only an http(s) URL made of nothing but a host[:port]. */
class UrlAuthorityTest {
  @Test
  void urlsNamingOnlyAHostAndPortGiveThatHostAndPort() {
    assertEquals("127.0.0.1:2379", UrlAuthority.hostPort("http://127.0.0.1:2379"));
    assertEquals("node-1:2379", UrlAuthority.hostPort("HTTPS://node-1:2379"));
    assertEquals("[::1]:2379", UrlAuthority.hostPort("http://[::1]:2379"));
    assertEquals("localhost", UrlAuthority.hostPort("http://localhost"));
  }

  @Test
  void everythingElseIsLeftAlone() {
    assertNull(UrlAuthority.hostPort("127.0.0.1:2379"));
    assertNull(UrlAuthority.hostPort("localhost"));
    assertNull(UrlAuthority.hostPort("http://"));
    assertNull(UrlAuthority.hostPort("unix://tmp/sock"));
    assertNull(UrlAuthority.hostPort("http://127.0.0.1:2379/"));
    assertNull(UrlAuthority.hostPort("http://127.0.0.1:2379?x"));
    assertNull(UrlAuthority.hostPort("http://127.0.0.1:2379#x"));
    assertNull(UrlAuthority.hostPort("http://user@127.0.0.1:2379"));
  }
}
