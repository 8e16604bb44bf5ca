package io.vkv.node.grpc;

import io.vkv.api.etcdserverpb.AlarmMember;
import io.vkv.api.etcdserverpb.AlarmType;

/**
 * An alarm as etcd's Status lists it in {@code errors}: the Go protobuf text form, zero fields left out and a trailing
 * space, e.g. {@code "memberID:17010963214147749224 alarm:NOSPACE "} (recorded from etcd 3.4.23).
 */
final class AlarmText {
  static String of(AlarmMember a) {
    StringBuilder s = new StringBuilder();
    if (a.getMemberID() != 0) s.append("memberID:").append(Long.toUnsignedString(a.getMemberID())).append(' ');
    if (a.getAlarm() != AlarmType.NONE) s.append("alarm:").append(a.getAlarm().name()).append(' ');
    return s.toString();
  }

  private AlarmText() {}
}
