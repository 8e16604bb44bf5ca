package io.vkv.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vkv.api.internal.ClusterMembers;
import io.vkv.api.internal.MemberAttributes;
import io.vkv.api.internal.MemberAttributesList;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * The attributes members published about themselves (name, client URLs), one record in the {@code meta} table
 * written in the applying transaction, so that a restarted member lists the others as they last published; and the
 * membership itself (ids, peer URLs, learners, removed ids) once a membership change was applied.
 */
final class MemberRecords {
  private static final byte[] KEY = "member_attributes".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MEMBERS_KEY = "cluster_members".getBytes(StandardCharsets.US_ASCII);

  /** The membership as of the last applied membership change; null if none was ever applied. */
  static ClusterMembers readMembers(Tables t, Txn<ByteBuffer> txn) {
    ByteBuffer v = t.meta.get(txn, Scratch.key(MEMBERS_KEY));
    if (v == null) return null;
    byte[] bytes = new byte[v.remaining()];
    v.duplicate().get(bytes);
    try {
      return ClusterMembers.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the store's cluster membership is unreadable: " + e.getMessage(), e);
    }
  }

  static void putMembers(Tables t, Txn<ByteBuffer> txn, ClusterMembers members) {
    byte[] bytes = members.toByteArray();
    t.meta.reserve(txn, Scratch.key(MEMBERS_KEY), bytes.length).put(bytes);
  }

  static List<MemberAttributes> read(Tables t, Txn<ByteBuffer> txn) {
    ByteBuffer v = t.meta.get(txn, Scratch.key(KEY));
    if (v == null) return List.of();
    byte[] bytes = new byte[v.remaining()];
    v.duplicate().get(bytes);
    try {
      return MemberAttributesList.parseFrom(bytes).getMembersList();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the store's member attributes are unreadable: " + e.getMessage(), e);
    }
  }

  /** Replaces the record of {@code a.getMemberId()}. */
  static void put(Tables t, Txn<ByteBuffer> txn, MemberAttributes a) {
    List<MemberAttributes> all = new ArrayList<>(read(t, txn));
    all.removeIf(m -> m.getMemberId() == a.getMemberId());
    all.add(a);
    all.sort(Comparator.comparing(MemberAttributes::getMemberId, Long::compareUnsigned));
    byte[] bytes = MemberAttributesList.newBuilder().addAllMembers(all).build().toByteArray();
    t.meta.reserve(txn, Scratch.key(KEY), bytes.length).put(bytes);
  }

  private MemberRecords() {}
}
