package io.vkv.node.peer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One proxied connection's way to the member: writes each frame after the delay its link has when it arrives, in
 * arrival order (a frame never overtakes an earlier one, even when the delay is lowered meanwhile), as a slow network
 * does to a TCP stream. Used on the connection's event loop only.
 */
final class DelayLine {
  /** Snapshot bytes queued before the sender is paused (a stream is slowed down, never dropped). */
  static final long MAX_QUEUED_STREAM_BYTES = 4 << 20;

  private record Pending(long dueNanos, Buffer frame, boolean stream) { }

  private final Vertx vertx;
  private final NetSocket in;
  private final NetSocket out;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private long queuedStreamBytes;
  private boolean pausedForQueue;
  /** Paused because the member's socket is backed up; resumed once it drains. */
  private boolean pausedForSocket;
  private long timer = -1;
  private boolean closed;

  DelayLine(Vertx vertx, NetSocket in, NetSocket out) {
    this.vertx = vertx;
    this.in = in;
    this.out = out;
  }

  /** Sends an encoded frame after {@code delayMillis} (and after every frame before it); a snapshot chunk if {@code stream}. */
  void send(Buffer frame, boolean stream, long delayMillis) {
    if (closed) return;
    if (delayMillis <= 0 && queue.isEmpty()) {
      write(frame);
      return;
    }
    queue.add(new Pending(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis), frame, stream));
    if (stream) {
      queuedStreamBytes += frame.length();
      if (queuedStreamBytes > MAX_QUEUED_STREAM_BYTES && !pausedForQueue) {
        pausedForQueue = true;
        in.pause();
      }
    }
    arm();
  }

  /** Drops what is queued: the connection is gone. */
  void close() {
    closed = true;
    queue.clear();
    if (timer != -1) vertx.cancelTimer(timer);
  }

  private void arm() {
    if (timer != -1 || queue.isEmpty()) return;
    long waitNanos = queue.peek().dueNanos() - System.nanoTime();
    long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
    timer = vertx.setTimer(waitMillis, id -> {
      timer = -1;
      flush();
    });
  }

  private void flush() {
    if (closed) return;
    long now = System.nanoTime();
    while (!queue.isEmpty() && queue.peek().dueNanos() - now <= 0) {
      Pending p = queue.poll();
      if (p.stream()) queuedStreamBytes -= p.frame().length();
      write(p.frame());
    }
    if (pausedForQueue && queuedStreamBytes <= MAX_QUEUED_STREAM_BYTES / 2) {
      pausedForQueue = false;
      if (!pausedForSocket) in.resume();
    }
    arm();
  }

  /**
   * Relays a frame as TCP would: nothing is lost inside a connection, and when the member does not read fast enough
   * the sending member is slowed down (its own sender then decides what to drop, by its own bounds). The proxy used
   * to drop Raft frames past Netty's 64 KiB watermark, copying the member's old sender; with the sender's own queue
   * that made the proxy, not the member, lose forwarded proposals under load.
   */
  private void write(Buffer frame) {
    out.write(frame);
    if (out.writeQueueFull() && !pausedForSocket) {
      pausedForSocket = true;
      in.pause();
      out.drainHandler(v -> {
        pausedForSocket = false;
        if (!pausedForQueue) in.resume();
      });
    }
  }
}
