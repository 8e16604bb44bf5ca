package io.vkv.node.watch;

import io.vkv.node.BackgroundEtcdctl;
import io.vkv.node.testing.Wait;
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
    List<String> out = new ArrayList<>();
    Wait.until(timeout, () -> "etcdctl to print " + n + " lines, printed only " + out, () -> {
      for (String l; out.size() < n && (l = etcdctl.nextLine(0)) != null; ) out.add(l);
      return out.size() == n;
    });
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
