package io.vkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PeerActivityTest {
  @Test
  void anActivePeriodLastsWhileFramesArriveWithinTheGap() {
    PeerActivity a = new PeerActivity(100);
    assertEquals(-1, a.activeSince(7, 0), "never heard from");
    a.heard(7, 1_000);
    a.heard(7, 1_090);
    a.heard(7, 1_180);
    assertEquals(1_000, a.activeSince(7, 1_200), "one period since the first frame");
    assertEquals(-1, a.activeSince(7, 1_281), "silent for longer than the gap: not active");
    a.heard(7, 1_400);
    assertEquals(1_400, a.activeSince(7, 1_410), "a new period after the gap");
  }
}
