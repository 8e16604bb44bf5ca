package io.vkv.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RawNode#propose(List)}: several entries in one PROP, taken whole or not at all. */
class BatchProposalTest {
  private static final List<byte[]> BATCH = List.of(new byte[] {1}, new byte[] {2}, new byte[] {3});

  private static RawNode node(long id) {
    Config c = Config.defaults(id).withPreVote(false).withCheckQuorum(false);
    return new RawNode(c, MemoryStorage.bootstrap(ConfState.ofVoters(1L, 2L, 3L)));
  }

  private static List<Integer> firstBytes(List<Entry> entries) {
    return entries.stream().filter(e -> e.data().length == 1).map(e -> (int) e.data()[0]).toList();
  }

  @Test
  void aFollowerForwardsTheBatchToItsLeaderAsOneMessage() {
    RawNode follower = node(2);
    follower.step(Message.builder(MessageType.HEARTBEAT).from(1).to(2).term(2).build()); // leader 1, term 2
    follower.advance(follower.ready());
    assertTrue(follower.propose(BATCH));
    List<Message> props = follower.ready().messages().stream().filter(m -> m.type() == MessageType.PROP).toList();
    assertEquals(1, props.size(), props.toString());
    assertEquals(1, props.get(0).to());
    assertEquals(List.of(1, 2, 3), firstBytes(props.get(0).entries()));
  }

  @Test
  void withoutALeaderTheWholeBatchIsRefused() {
    RawNode follower = node(2);
    assertFalse(follower.propose(BATCH));
    assertFalse(follower.hasReady() && !follower.ready().messages().isEmpty(), "nothing sent");
  }

  @Test
  void aLeaderAppendsTheBatchInOrder() {
    RawNode alone = new RawNode(Config.defaults(1), MemoryStorage.bootstrap(ConfState.ofVoters(1L)));
    alone.campaign();
    Ready rd = alone.ready();
    alone.advance(rd);
    assertEquals(SoftState.Role.LEADER, alone.status().role());
    assertTrue(alone.propose(BATCH));
    assertEquals(List.of(1, 2, 3), firstBytes(alone.ready().entries()));
  }
}
