package io.vkv.store.etcdformat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vkv.api.authpb.Role;
import io.vkv.api.authpb.User;
import io.vkv.api.etcdserverpb.AlarmMember;
import io.vkv.api.internal.AuthRecord;
import io.vkv.api.leasepb.Lease;
import io.vkv.api.mvccpb.KeyValue;
import io.vkv.store.LeaseRecord;
import io.vkv.store.StoreLoader;
import io.vkv.store.bbolt.BoltBucket;
import io.vkv.store.bbolt.BoltFormatException;
import io.vkv.store.bbolt.BoltReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads etcd's backend file (a snapshot from etcd or from vkv) into a {@link StoreLoader}: every version of the
 * {@code key} bucket in revision order, the leases, users, roles and auth state, the active alarms and the compacted
 * revision.
 * Members are not read: a restore starts a new cluster with the membership given on its command line, as etcd's does.
 */
public final class EtcdSnapshotReader {
  /** What was loaded. */
  public record Loaded(long revision, long compacted, long versions, long leases) {}

  private EtcdSnapshotReader() {}

  /** Loads the file; the store's consistent index becomes {@code consistentIndex}. */
  public static Loaded load(Path file, StoreLoader loader, long consistentIndex) throws IOException {
    try (BoltReader r = BoltReader.open(file)) {
      long[] versions = {0};
      forEach(r, EtcdBuckets.KEY, (k, v) -> {
        RevisionKey rev = RevisionKey.decode(k);
        KeyValue kv = parse(() -> KeyValue.parseFrom(v), "key " + rev);
        if (rev.tombstone()) {
          loader.delete(rev.main(), rev.sub(), kv.getKey());
        } else {
          loader.put(rev.main(), rev.sub(), kv);
        }
        versions[0]++;
      });
      long[] leases = {0};
      forEach(r, EtcdBuckets.LEASE, (k, v) -> {
        Lease l = parse(() -> Lease.parseFrom(v), "lease");
        loader.lease(new LeaseRecord(l.getID(), l.getTTL(), l.getRemainingTTL()));
        leases[0]++;
      });
      loader.auth(auth(r));
      // etcd's restore keeps the alarm bucket as it is, so the restored member starts with the alarms
      forEach(r, EtcdBuckets.ALARM, (k, v) -> loader.alarm(parse(() -> AlarmMember.parseFrom(k), "alarm")));
      long compacted = compacted(r);
      long revision = Math.max(Math.max(loader.lastRevision(), compacted), 1);
      loader.meta(consistentIndex, revision, compacted);
      return new Loaded(revision, compacted, versions[0], leases[0]);
    }
  }

  private static AuthRecord auth(BoltReader r) throws IOException {
    AuthRecord.Builder auth = AuthRecord.newBuilder().setRevision(1); // etcd's revision on a fresh store
    forEach(r, EtcdBuckets.AUTH, (k, v) -> {
      String name = new String(k, StandardCharsets.UTF_8);
      if (name.equals(EtcdBuckets.AUTH_ENABLED)) auth.setEnabled(v.length == 1 && v[0] == 1);
      if (name.equals(EtcdBuckets.AUTH_REVISION) && v.length == 8) auth.setRevision(ByteBuffer.wrap(v).getLong());
    });
    forEach(r, EtcdBuckets.AUTH_USERS, (k, v) -> auth.addUsers(parse(() -> User.parseFrom(v), "user")));
    forEach(r, EtcdBuckets.AUTH_ROLES, (k, v) -> auth.addRoles(parse(() -> Role.parseFrom(v), "role")));
    return auth.build();
  }

  /** etcd's finished compaction; a scheduled one it had not finished is left undone (its versions stay readable). */
  private static long compacted(BoltReader r) throws IOException {
    long[] compacted = {0};
    forEach(r, EtcdBuckets.META, (k, v) -> {
      if (new String(k, StandardCharsets.UTF_8).equals(EtcdBuckets.FINISHED_COMPACT)) compacted[0] = RevisionKey.decode(v).main();
    });
    return compacted[0];
  }

  private interface Entries {
    void entry(byte[] key, byte[] value) throws IOException;
  }

  private static void forEach(BoltReader r, String bucket, Entries entries) throws IOException {
    BoltBucket b = r.bucket(r.root(), bucket.getBytes(StandardCharsets.UTF_8));
    if (b == null) return;
    r.forEach(b, (k, v, nested) -> {
      if (!nested) entries.entry(k, v);
    });
  }

  private interface Parser<T> {
    T parse() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(Parser<T> p, String what) throws BoltFormatException {
    try {
      return p.parse();
    } catch (InvalidProtocolBufferException e) {
      throw new BoltFormatException("unreadable " + what + " in the snapshot: " + e.getMessage());
    }
  }
}
