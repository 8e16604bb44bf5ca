package io.vkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.consensus.Entry;
import io.vkv.node.apply.WriteStages;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageClockTest {
  /** Records what the clock reports, as "stage:nanos" and "rtt peer:nanos". */
  private static final class Recorded implements WriteStages {
    final List<String> seen = new ArrayList<>();

    @Override
    public void record(Stage stage, long nanos) {
      seen.add(stage + ":" + nanos);
    }

    @Override
    public void peerRoundTrip(long peerId, long nanos) {
      seen.add("rtt " + peerId + ":" + nanos);
    }

    @Override
    public void entriesPerReady(int entries) {
      seen.add("entries:" + entries);
    }
  }

  private static List<Entry> entries(long from, long to) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) out.add(Entry.normal(i, 1, new byte[0]));
    return out;
  }

  @Test
  void commitIsTimedFromTheReadyThatCarriedEachEntry() {
    Recorded r = new Recorded();
    StageClock clock = new StageClock(r);
    clock.appended(entries(1, 3), 100);
    clock.appended(entries(4, 4), 150);
    clock.committed(3, 400); // the first Ready only
    clock.committed(4, 500);
    clock.committed(4, 900); // nothing left to time
    assertEquals(List.of("entries:3", "entries:1", "COMMIT:300", "COMMIT:350"), r.seen);
  }

  @Test
  void roundTripsArePerPeerAndKeepTheFirstSend() {
    Recorded r = new Recorded();
    StageClock clock = new StageClock(r);
    clock.sent(2, 5, 10);
    clock.sent(3, 5, 12);
    clock.sent(2, 5, 40); // a resend of the same entries keeps the first time
    clock.sent(2, 7, 50);
    clock.acknowledged(2, 6, 100); // covers index 5 only
    clock.acknowledged(3, 5, 80);
    clock.acknowledged(2, 7, 120);
    clock.acknowledged(9, 7, 130); // a member never sent to
    assertEquals(List.of("rtt 2:90", "rtt 3:68", "rtt 2:70"), r.seen);
  }
}
