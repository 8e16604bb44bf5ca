package io.vkv.node.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real etcdctl 3.4 {@code watch} against a node; output compared with what etcd 3.4.23 prints. */
@Timeout(60)
class WatchEtcdctlTest extends SharedWatchTarget {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** etcdctl prints nothing once its watch is set up: a probe key is written until its events show. */
  private static void awaitEstablished(EtcdctlWatch w, String probeKey) {
    Wait.until(WAIT, "etcdctl watch to start", () -> {
      target.put(probeKey, "probe");
      List<String> got = w.untilQuiet(Duration.ofMillis(300));
      if (got.isEmpty()) return false;
      assertEquals(0, got.size() % 3, got.toString());
      for (int i = 0; i < got.size(); i++) assertEquals(List.of("PUT", probeKey, "probe").get(i % 3), got.get(i));
      return true;
    });
  }

  @Test
  void prefix() {
    try (EtcdctlWatch w = EtcdctlWatch.start(target.endpoints, "--prefix", "ctl/p/")) {
      awaitEstablished(w, "ctl/p/probe");
      target.put("ctl/p/a", "1");
      target.put("ctl/q", "2");
      target.delete("ctl/p/a");
      assertEquals(List.of("PUT", "ctl/p/a", "1", "DELETE", "ctl/p/a"), w.lines(5, WAIT));
    }
  }

  @Test
  void revAndPrevKv() {
    long r1 = target.put("ctl/r", "one");
    target.put("ctl/r", "two");
    try (EtcdctlWatch w = EtcdctlWatch.start(target.endpoints, "--rev=" + r1, "--prev-kv", "ctl/r")) {
      // from r1: the first event's previous version does not exist, the second's is "one"
      assertEquals(List.of("PUT", "ctl/r", "one", "PUT", "ctl/r", "one", "ctl/r", "two"), w.lines(8, WAIT));
      target.put("ctl/r", "three");
      assertEquals(List.of("PUT", "ctl/r", "two", "ctl/r", "three"), w.lines(5, WAIT));
    }
  }

  @Test
  void interactiveWatchThenCancel() {
    try (EtcdctlWatch w = EtcdctlWatch.start(target.endpoints, "--interactive")) {
      w.type("watch ctl/i");
      awaitEstablished(w, "ctl/i");
      // etcdctl 3.4's interactive mode knows only "watch": "cancel" is refused and the watch goes on, as with etcd
      w.type("cancel");
      assertEquals(List.of("Invalid command cancel (only support watch)"), w.lines(1, WAIT));
      target.put("ctl/i", "after");
      assertEquals(List.of("PUT", "ctl/i", "after"), w.lines(3, WAIT));
    }
  }
}
