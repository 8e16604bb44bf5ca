package io.vkv.bench;

import io.vertx.core.Vertx;
import java.io.PrintWriter;

/** A once-a-second status line (ops done, current rate, errors), rewritten in place on a terminal. */
final class Progress {
  private final Vertx vertx;
  private final RunState state;
  private final PrintWriter out;
  private final long timer;
  private long lastDone;
  private long lastNanos;

  private Progress(Vertx vertx, RunState state, PrintWriter out) {
    this.vertx = vertx;
    this.state = state;
    this.out = out;
    this.lastNanos = state.startNanos;
    this.timer = vertx.setPeriodic(1000, id -> print());
  }

  static Progress start(Vertx vertx, RunState state, PrintWriter out) {
    return new Progress(vertx, state, out);
  }

  private void print() {
    long now = System.nanoTime();
    long done = state.done.get();
    double rate = (done - lastDone) * 1e9 / Math.max(1, now - lastNanos);
    lastDone = done;
    lastNanos = now;
    out.printf("\r%,12d ops %,10.0f ops/s %,8d errors %6.1fs ", done, rate, state.errors.get(),
        (now - state.startNanos) / 1e9);
    out.flush();
  }

  void stop() {
    vertx.cancelTimer(timer);
    out.print("\r\033[K");
    out.flush();
  }
}
