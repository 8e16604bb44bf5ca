package io.vkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.consensus.ConfState;
import io.vkv.consensus.Entry;
import io.vkv.consensus.Message;
import io.vkv.consensus.MessageType;
import io.vkv.consensus.SnapshotMeta;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaftMessagesTest {
  @Test
  void everyFieldSurvivesTheWire() {
    Message m = Message.builder(MessageType.APP).from(1).to(2).term(3).logTerm(4).index(5).commit(6).reject(true)
        .rejectHint(7).context(new byte[] {9})
        .entries(List.of(Entry.normal(6, 3, new byte[] {1, 2}), new Entry(7, 3, Entry.Type.CONF_CHANGE,
            new io.vkv.consensus.ConfChange(io.vkv.consensus.ConfChange.Type.ADD_VOTER, 4).encode())))
        .snapshot(SnapshotMeta.of(5, 2, new ConfState(List.of(1L, 2L), List.of(3L)), new byte[] {8}))
        .build();
    Message back = RaftMessages.fromWire(RaftMessages.toWire(m));
    assertEquals(m.toString(), back.toString());
    assertEquals(m.entries(), back.entries());
    assertArrayEquals(m.context(), back.context());
    assertEquals(m.snapshot().confState(), back.snapshot().confState());
    assertArrayEquals(m.snapshot().data(), back.snapshot().data());
    assertEquals(MessageType.APP.code, RaftMessages.toWire(m).getType());
  }

  @Test
  void membersRecordKeepsVotersLearnersAndOwner() {
    ConfState cs = new ConfState(List.of(5L, -7L), List.of(9L));
    byte[] data = RaftMessages.encodeMembers(cs, -7L);
    assertEquals(cs, RaftMessages.decodeConfState(data));
    assertEquals(-7L, RaftMessages.decodeLocalId(data));
    assertEquals(0, RaftMessages.decodeLocalId(new byte[0]));
  }
}
