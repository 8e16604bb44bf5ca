package io.vkv.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vkv.api.etcdserverpb.AlarmMember;
import io.vkv.api.etcdserverpb.AlarmRequest;
import io.vkv.api.etcdserverpb.AlarmResponse;
import io.vkv.api.etcdserverpb.AlarmType;
import io.vkv.api.internal.AlarmList;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * The active alarms (etcd's alarm store): one record in the {@code meta} table, written by the entry that changes
 * it, so alarms survive a restart and travel with snapshots. Applying is deterministic: every member ends with the
 * same list.
 */
final class AlarmRecords {
  private static final byte[] KEY = "alarms".getBytes(StandardCharsets.US_ASCII);
  private static final Comparator<AlarmMember> ORDER = Comparator.comparingInt(AlarmMember::getAlarmValue)
      .thenComparing(AlarmMember::getMemberID, Long::compareUnsigned);

  static List<AlarmMember> read(Tables t, Txn<ByteBuffer> txn) {
    ByteBuffer v = t.meta.get(txn, Scratch.key(KEY));
    if (v == null) return List.of();
    byte[] bytes = new byte[v.remaining()];
    v.duplicate().get(bytes);
    try {
      return List.copyOf(AlarmList.parseFrom(bytes).getAlarmsList());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the store's alarms are unreadable: " + e.getMessage(), e);
    }
  }

  /**
   * etcd's semantics: GET lists the alarms of the asked type (NONE: all); ACTIVATE and DEACTIVATE answer the alarm
   * they added or removed, and nothing when it was already active or not active. Any member id is accepted.
   */
  static AlarmResponse apply(Tables t, Txn<ByteBuffer> txn, AlarmRequest r, BatchState s) {
    AlarmResponse.Builder out = AlarmResponse.newBuilder();
    // by value: an alarm type this build does not know must not fail the apply (setAlarm(UNRECOGNIZED) throws)
    AlarmMember m = AlarmMember.newBuilder().setMemberID(r.getMemberID()).setAlarmValue(r.getAlarmValue()).build();
    switch (r.getAction()) {
      case GET -> s.alarms.stream()
          .filter(a -> r.getAlarmValue() == AlarmType.NONE_VALUE || a.getAlarmValue() == r.getAlarmValue())
          .forEach(out::addAlarms);
      case ACTIVATE -> {
        // NONE is no alarm (etcd ignores it); a type unknown here is ignored too, as it could never be enforced
        if (r.getAlarm() == AlarmType.NONE || r.getAlarm() == AlarmType.UNRECOGNIZED || s.alarms.contains(m)) break;
        List<AlarmMember> next = new ArrayList<>(s.alarms);
        next.add(m);
        next.sort(ORDER);
        write(t, txn, s, next);
        out.addAlarms(m);
      }
      case DEACTIVATE -> {
        if (!s.alarms.contains(m)) break;
        List<AlarmMember> next = new ArrayList<>(s.alarms);
        next.remove(m);
        write(t, txn, s, next);
        out.addAlarms(m);
      }
      default -> { } // an unknown action changes nothing, as in etcd
    }
    return out.build();
  }

  private static void write(Tables t, Txn<ByteBuffer> txn, BatchState s, List<AlarmMember> alarms) {
    put(t, txn, alarms);
    s.alarms = List.copyOf(alarms);
  }

  /**
   * Replaces the active alarms with {@code alarms} (from a snapshot file): the ones of a known type, each once, in
   * this store's order.
   */
  static void replace(Tables t, Txn<ByteBuffer> txn, List<AlarmMember> alarms) {
    put(t, txn, alarms.stream()
        .filter(a -> a.getAlarm() != AlarmType.NONE && a.getAlarm() != AlarmType.UNRECOGNIZED)
        .distinct().sorted(ORDER).toList());
  }

  private static void put(Tables t, Txn<ByteBuffer> txn, List<AlarmMember> alarms) {
    byte[] bytes = AlarmList.newBuilder().addAllAlarms(alarms).build().toByteArray();
    if (bytes.length == 0) {
      t.meta.delete(txn, Scratch.key(KEY));
    } else {
      t.meta.reserve(txn, Scratch.key(KEY), bytes.length).put(bytes);
    }
  }

  static boolean active(List<AlarmMember> alarms, AlarmType type) {
    for (AlarmMember a : alarms) if (a.getAlarm() == type) return true;
    return false;
  }

  private AlarmRecords() {}
}
