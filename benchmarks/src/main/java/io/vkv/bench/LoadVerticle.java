package io.vkv.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs a share of the clients on this verticle's event loop. A client is not a thread: it is a loop that sends
 * one request, and sends the next from the completion callback. Latencies go into this loop's own histogram,
 * so recording needs no synchronisation; the runner merges them at the end.
 */
final class LoadVerticle extends VerticleBase {
  static final long MAX_LATENCY_US = TimeUnit.MINUTES.toMicros(10);

  private final Workload workload;
  private final RunState state;
  private final int clients;
  final Histogram histogram = new Histogram(MAX_LATENCY_US, 3);
  private final Promise<Void> finished = Promise.promise();
  private int running;
  volatile Thread thread;
  volatile long lastCompletionNanos;

  LoadVerticle(Workload workload, RunState state, int clients) {
    this.workload = workload;
    this.state = state;
    this.clients = clients;
  }

  @Override
  public Future<?> start() {
    thread = Thread.currentThread();
    running = clients;
    for (int i = 0; i < clients; i++) next();
    if (clients == 0) finished.tryComplete();
    return Future.succeededFuture();
  }

  /** Completes when every client of this verticle has stopped. */
  Future<Void> finished() {
    return finished.future();
  }

  private void next() {
    long op = state.claim();
    if (op < 0) {
      if (--running == 0) finished.tryComplete();
      return;
    }
    long wait = state.dueNanos(op) - System.nanoTime();
    if (wait > 1_000_000) {
      vertx.setTimer(wait / 1_000_000, id -> send(op));
    } else {
      send(op);
    }
  }

  private void send(long op) {
    long start = System.nanoTime();
    boolean[] returned = {false};
    workload.issue(op).onComplete(ar -> {
      long now = System.nanoTime();
      if (Thread.currentThread() != thread) { // the histogram belongs to this loop's thread
        context.runOnContext(v -> completed(ar.succeeded(), ar.cause(), start, now, true));
      } else {
        completed(ar.succeeded(), ar.cause(), start, now, returned[0]);
      }
    });
    returned[0] = true;
  }

  private void completed(boolean ok, Throwable cause, long start, long now, boolean async) {
    lastCompletionNanos = now;
    if (ok) {
      histogram.recordValue(Math.min(MAX_LATENCY_US, Math.max(1, (now - start) / 1000)));
      state.done.incrementAndGet();
    } else {
      state.failed(cause);
    }
    // a future that completed synchronously must not recurse: go round the event loop instead
    if (async) next();
    else context.runOnContext(v -> next());
  }
}
