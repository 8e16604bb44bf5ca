package io.vkv.node.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for tests. Shared with other modules' tests through node's test-jar. */
public final class Ports {
  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  private Ports() {
  }

  /** A port that was free on 127.0.0.1 a moment ago (bound to 0 and released), for a server that must know it first. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByAddress(LOOPBACK))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free port", e);
    }
  }
}
