package io.vkv.node.corruption;

import io.vkv.store.KvHash;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * etcd 3.4's rules for telling a member whose data diverged from one that is merely behind or ahead. Hashes are
 * only comparable at the same revision and the same compact revision; a member that could not answer at the asked
 * revision (not there yet, or compacted past it) is no evidence either way.
 */
final class HashComparison {
  /**
   * The initial check: the peers whose hash at this member's revision differs from this member's while their
   * compact revision is the same (a different compact revision is only logged by etcd, not counted).
   */
  static List<Long> initialMismatches(KvHash local, List<PeerHash> peers) {
    List<Long> diverged = new ArrayList<>();
    for (PeerHash p : peers) {
      if (p.response() == null) continue;
      if (p.response().getHash() != local.hash() && p.response().getCompactRevision() == local.compactRevision()) {
        diverged.add(p.memberId());
      }
    }
    return diverged;
  }

  /**
   * The leader's periodic check: the one member to raise the CORRUPT alarm for, if any. {@code before} is the
   * leader's hash at the revision the peers were asked about, {@code after} its hash once it applied everything
   * committed after their answers. The leader alarms itself only if its own hash changed at an unchanged revision;
   * a peer is alarmed if it is ahead of the leader, compacted further, or hashes differently at the same compact
   * revision. The first finding wins, as in etcd (one alarm per check).
   */
  static OptionalLong suspect(long leaderId, KvHash before, KvHash after, List<PeerHash> peers) {
    if (after.hash() != before.hash() && after.currentRevision() == before.currentRevision()
        && after.compactRevision() == before.compactRevision()) {
      return OptionalLong.of(leaderId);
    }
    for (PeerHash p : peers) {
      var r = p.response();
      if (r == null) continue;
      boolean ahead = r.getHeader().getRevision() > after.currentRevision();
      boolean compactedFurther = r.getCompactRevision() > after.compactRevision();
      boolean differs = r.getCompactRevision() == before.compactRevision() && r.getHash() != before.hash();
      if (ahead || compactedFurther || differs) return OptionalLong.of(p.memberId());
    }
    return OptionalLong.empty();
  }

  private HashComparison() {}
}
