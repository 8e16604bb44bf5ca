package io.vkv.node.raft;

import io.vkv.consensus.Entry;
import io.vkv.node.apply.WriteStages;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Times the Raft loop's part of the write path by log index: from the Ready that carried an entry until the entry
 * commits, and per follower from sending entries until their acknowledgement. Loop thread only. Each queue holds
 * (last index, time) marks in index order and is bounded, so a follower that never answers costs nothing.
 */
final class StageClock {
  private static final int MAX_MARKS = 4096;

  private record Mark(long index, long at) {}

  private final WriteStages stages;
  private final ArrayDeque<Mark> appended = new ArrayDeque<>();
  private final Map<Long, ArrayDeque<Mark>> sent = new HashMap<>();

  StageClock(WriteStages stages) {
    this.stages = stages;
  }

  void appended(List<Entry> entries, long now) {
    stages.entriesPerReady(entries.size());
    mark(appended, entries.get(entries.size() - 1).index(), now);
  }

  void committed(long index, long now) {
    for (Mark m; (m = appended.peekFirst()) != null && m.index() <= index; appended.pollFirst()) {
      stages.record(WriteStages.Stage.COMMIT, now - m.at());
    }
  }

  void sent(long peer, long lastIndex, long now) {
    mark(sent.computeIfAbsent(peer, p -> new ArrayDeque<>()), lastIndex, now);
  }

  void acknowledged(long peer, long index, long now) {
    ArrayDeque<Mark> marks = sent.get(peer);
    if (marks == null) return;
    for (Mark m; (m = marks.peekFirst()) != null && m.index() <= index; marks.pollFirst()) {
      stages.peerRoundTrip(peer, now - m.at());
    }
  }

  /** Keeps the first time an index was sent or appended (a resend or a rewritten suffix starts no new mark). */
  private static void mark(ArrayDeque<Mark> marks, long index, long now) {
    Mark last = marks.peekLast();
    if (last != null && last.index() >= index) return;
    if (marks.size() == MAX_MARKS) marks.pollFirst();
    marks.addLast(new Mark(index, now));
  }
}
