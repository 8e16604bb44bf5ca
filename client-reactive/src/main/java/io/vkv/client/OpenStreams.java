package io.vkv.client;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The long-lived streams one client service has open (watches, keep-alives, observations), so that closing the
 * client ends each of them with a CANCELLED error, and a stream opened after the close ends at once.
 */
final class OpenStreams<T> {
  private final Set<T> open = ConcurrentHashMap.newKeySet();
  private final BiFunction<T, Throwable, Future<Void>> stop;
  private volatile boolean closed;

  /** {@code stop}: ends a stream with an error as the client closes (the connection's close ends its RPC). */
  OpenStreams(BiFunction<T, Throwable, Future<Void>> stop) {
    this.stop = stop;
  }

  /**
   * Registers the stream that {@code create} makes (given the callback that forgets it once it stopped), and starts
   * it, or stops it at once when the client is already closed.
   */
  T open(Function<Runnable, T> create, Consumer<T> start) {
    AtomicReference<T> self = new AtomicReference<>();
    T stream = create.apply(() -> open.remove(self.get()));
    self.set(stream);
    open.add(stream);
    if (closed) {
      stop.apply(stream, clientClosed());
    } else {
      start.accept(stream);
    }
    return stream;
  }

  /** Ends every open stream with a CANCELLED error; the client is closing. */
  Future<Void> close() {
    closed = true;
    List<Future<Void>> stopping = new ArrayList<>();
    for (T s : open) stopping.add(stop.apply(s, clientClosed()));
    return Future.join(stopping).mapEmpty();
  }

  private static VkvException clientClosed() {
    return new VkvException(GrpcStatus.CANCELLED, "the client is closed", null);
  }
}
