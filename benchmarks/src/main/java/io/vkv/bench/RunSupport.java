package io.vkv.bench;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the stream runners (watch, lease keep-alive) share: endpoint addresses and waiting on the main thread. */
final class RunSupport {
  private RunSupport() {
  }

  /** The address of an --endpoints entry (host:port, optionally with http:// and a trailing slash; IPv6 in []). */
  static SocketAddress address(String endpoint) {
    String e = endpoint.replaceFirst("^https?://", "").replaceFirst("/$", "");
    int colon = e.lastIndexOf(':');
    String host = e.substring(0, colon);
    if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
    return SocketAddress.inetSocketAddress(Integer.parseInt(e.substring(colon + 1)), host);
  }

  /** Waits on the main thread; false when {@code limit} (non-zero) passed first. */
  static boolean await(Future<?> f, Duration limit) throws Exception {
    CompletableFuture<?> cf = f.toCompletionStage().toCompletableFuture();
    if (limit.isZero()) {
      cf.get();
      return true;
    }
    try {
      cf.get(limit.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }
}
