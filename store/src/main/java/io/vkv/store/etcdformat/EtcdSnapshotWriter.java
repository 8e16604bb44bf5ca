package io.vkv.store.etcdformat;

import com.google.protobuf.ByteString;
import io.vkv.api.authpb.Role;
import io.vkv.api.authpb.User;
import io.vkv.api.etcdserverpb.AlarmMember;
import io.vkv.api.internal.AuthRecord;
import io.vkv.api.leasepb.Lease;
import io.vkv.api.mvccpb.Event;
import io.vkv.store.LeaseRecord;
import io.vkv.store.StoreExport;
import io.vkv.store.bbolt.BoltMeta;
import io.vkv.store.bbolt.BoltWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a store's point-in-time view as etcd 3.4's backend file: a bbolt database with etcd's buckets in their
 * byte order (alarm, auth, authRoles, authUsers, cluster, key, lease, members, members_removed, meta). Keys and
 * values are encoded as etcd encodes them, so etcd's tools read the file and etcd serves it after a restore.
 */
public final class EtcdSnapshotWriter {
  /** etcd 3.4 records the cluster's version as major.minor.0. */
  public static final String CLUSTER_VERSION = "3.4.0";

  private EtcdSnapshotWriter() {}

  public static BoltMeta write(StoreExport view, List<EtcdMember> members, Path file) throws IOException {
    try (BoltWriter w = BoltWriter.create(file)) {
      alarms(w, view.alarms());
      auth(w, view.auth());
      bucket(w, EtcdBuckets.CLUSTER);
      w.put(bytes(EtcdBuckets.CLUSTER_VERSION), bytes(CLUSTER_VERSION));
      w.endBucket();
      bucket(w, EtcdBuckets.KEY);
      view.forEachVersion((main, sub, event) -> {
        boolean tombstone = event.getType() == Event.EventType.DELETE;
        // etcd stores a tombstone's value as a KeyValue holding only the key
        byte[] value = tombstone
            ? io.vkv.api.mvccpb.KeyValue.newBuilder().setKey(event.getKv().getKey()).build().toByteArray()
            : event.getKv().toByteArray();
        w.put(new RevisionKey(main, sub, tombstone).encode(), value);
      });
      w.endBucket();
      bucket(w, EtcdBuckets.LEASE);
      for (LeaseRecord l : view.leases()) {
        Lease.Builder lease = Lease.newBuilder().setID(l.id()).setTTL(l.ttl()).setRemainingTTL(l.remainingTtl());
        w.put(ByteBuffer.allocate(8).putLong(l.id()).array(), lease.build().toByteArray());
      }
      w.endBucket();
      bucket(w, EtcdBuckets.MEMBERS);
      for (EtcdMember m : members.stream().sorted(Comparator.comparing(m -> new String(m.key(), StandardCharsets.US_ASCII))).toList()) {
        w.put(m.key(), m.json());
      }
      w.endBucket();
      bucket(w, EtcdBuckets.MEMBERS_REMOVED);
      w.endBucket();
      meta(w, view.consistentIndex(), view.compacted());
      return w.finish();
    }
  }

  /** etcd's alarm bucket: the marshalled {@code AlarmMember} as the key, an empty value; bbolt wants keys in byte order. */
  private static void alarms(BoltWriter w, List<AlarmMember> alarms) throws IOException {
    bucket(w, EtcdBuckets.ALARM);
    List<byte[]> keys = alarms.stream().map(AlarmMember::toByteArray)
        .sorted(java.util.Arrays::compareUnsigned).toList();
    for (byte[] k : keys) w.put(k, new byte[0]);
    w.endBucket();
  }

  private static void auth(BoltWriter w, AuthRecord auth) throws IOException {
    bucket(w, EtcdBuckets.AUTH);
    // etcd writes authEnabled on the first enable or disable; a store where auth was never on has none
    if (auth.getEnabled()) w.put(bytes(EtcdBuckets.AUTH_ENABLED), new byte[] {1});
    w.put(bytes(EtcdBuckets.AUTH_REVISION), ByteBuffer.allocate(8).putLong(auth.getRevision()).array());
    w.endBucket();
    bucket(w, EtcdBuckets.AUTH_ROLES);
    for (Role r : auth.getRolesList().stream().sorted(Comparator.comparing(Role::getName, ByteString.unsignedLexicographicalComparator())).toList()) {
      w.put(r.getName().toByteArray(), r.toByteArray());
    }
    w.endBucket();
    bucket(w, EtcdBuckets.AUTH_USERS);
    for (User u : auth.getUsersList().stream().sorted(Comparator.comparing(User::getName, ByteString.unsignedLexicographicalComparator())).toList()) {
      w.put(u.getName().toByteArray(), u.toByteArray());
    }
    w.endBucket();
  }

  private static void meta(BoltWriter w, long consistentIndex, long compacted) throws IOException {
    bucket(w, EtcdBuckets.META);
    w.put(bytes(EtcdBuckets.CONSISTENT_INDEX), ByteBuffer.allocate(8).putLong(consistentIndex).array());
    if (compacted > 0) {
      byte[] rev = new RevisionKey(compacted, 0, false).encode();
      w.put(bytes(EtcdBuckets.FINISHED_COMPACT), rev);
      w.put(bytes(EtcdBuckets.SCHEDULED_COMPACT), rev);
    }
    w.endBucket();
  }

  private static void bucket(BoltWriter w, String name) {
    w.beginBucket(bytes(name));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
