package io.vkv.node.watch;

import io.vkv.node.BackgroundEtcdctl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A long-running {@code etcdctl watch} in the background: its output lines are read with deadlines. */
final class EtcdctlWatch implements AutoCloseable {
  private final BackgroundEtcdctl etcdctl;

  private EtcdctlWatch(BackgroundEtcdctl etcdctl) {
    this.etcdctl = etcdctl;
  }

  /** Starts {@code etcdctl watch args...} (stdout and stderr merged). */
  static EtcdctlWatch start(String endpoints, String... args) {
    String[] watch = new String[args.length + 1];
    watch[0] = "watch";
    System.arraycopy(args, 0, watch, 1, args.length);
    return new EtcdctlWatch(BackgroundEtcdctl.withStderr(endpoints, watch));
  }

  /** Writes a line to etcdctl's stdin (interactive mode). */
  void type(String line) {
    etcdctl.type(line);
  }

  /** The next n output lines, or fails at the deadline with what arrived. */
  List<String> lines(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> out = new ArrayList<>();
    try {
      while (out.size() < n) {
        String l = etcdctl.nextLine(Math.max(0, deadline - System.nanoTime()) / 1_000_000);
        if (l == null) throw new AssertionError("etcdctl printed only " + out + " in " + timeout);
        out.add(l);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return out;
  }

  /** Lines until none arrives for the given time (possibly none). */
  List<String> untilQuiet(Duration quiet) {
    List<String> out = new ArrayList<>();
    try {
      for (String l; (l = etcdctl.nextLine(quiet.toMillis())) != null; ) out.add(l);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return out;
  }

  @Override
  public void close() {
    try {
      etcdctl.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
