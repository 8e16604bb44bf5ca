package io.vkv.node.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Loopback ports for tests. Shared with other modules' tests through node's test-jar. */
public final class Ports {
  private static final byte[] LOOPBACK = {127, 0, 0, 1};
  /**
   * Every port handed out in this JVM: the kernel may give the same free port to two binds in a row once the first
   * is released (it did: a cluster got one peer port for two members), so a port is never handed out twice.
   */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private static final int ATTEMPTS = 100;

  private Ports() {
  }

  /**
   * A port that was free on 127.0.0.1 a moment ago (bound to 0 and released) and not handed out before by this
   * JVM, for a server that must know its port before it starts.
   */
  public static int freePort() {
    for (int i = 0; i < ATTEMPTS; i++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByAddress(LOOPBACK))) {
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new AssertionError("no free port", e);
      }
      if (HANDED_OUT.add(port)) return port;
    }
    throw new AssertionError("no port not handed out before in " + ATTEMPTS + " tries");
  }
}
