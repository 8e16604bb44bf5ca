package io.vkv.store;

import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.TxnResponse;
import io.vkv.api.internal.MemberAttributes;
import io.vkv.api.mvccpb.Event;
import io.vkv.api.mvccpb.KeyValue;
import java.util.List;

/**
 * The read side of the key space (etcd's ReadView): what client reads, watches, leases, auth and metrics may see.
 * Only the apply path holds the {@link MvccStore} itself, and with it apply, restore and sync. Every method may
 * run on any thread concurrently with the writer; those that read tables do so in their own LMDB read transaction.
 */
public interface MvccReader {
  /** A range read at the current or an older revision; throws COMPACTED or FUTURE_REV as etcd does. */
  RangeResponse range(RangeRequest r);

  /**
   * A txn whose every op is a range (see {@link #isReadOnly}), its compares and ranges read in one transaction at
   * the current revision, as etcd serves such a txn without a log entry; throws COMPACTED or FUTURE_REV for a range
   * as {@link #range} does, and IllegalArgumentException for a txn that is not read-only.
   */
  TxnResponse readOnlyTxn(TxnRequest r);

  /** etcd's isTxnReadonly: every op of both branches is a range (a nested txn counts as a write). */
  static boolean isReadOnly(TxnRequest r) {
    return TxnRunner.isReadOnly(r);
  }

  /** Users, roles and whether auth is on, as of the last applied entry. */
  AuthState auth();

  long currentRevision();

  long compactedRevision();

  long consistentIndex();

  /** Size of the data file as of the last commit (LMDB's high-water mark: only a defragment shrinks it). */
  long dbSize();

  /** Bytes of live pages; the rest of {@link #dbSize()} is free pages LMDB will reuse. */
  long dbSizeInUse();

  /**
   * CRC32C of every stored version up to {@code revision} (0: current): after the same entries, every member
   * has the same history and so the same hash.
   */
  int hashKV(long revision);

  /** {@link #hashKV} with the current and compacted revisions read in the same transaction. */
  KvHash hashByRevision(long revision);

  /**
   * Events with revision in [fromRevision, toRevisionInclusive], in order, prev_kv filled where the previous
   * version is still stored; at most maxEvents unless needed to finish the last revision.
   */
  List<Event> history(long fromRevision, long toRevisionInclusive, int maxEvents);

  /** Live keys attached to a lease, in key order. */
  List<KeyValue> keysWithLease(long leaseId);

  /** The lease as last applied, or null if it does not exist (never granted, revoked or expired). */
  LeaseRecord lease(long id);

  /** Every lease, in id order (as unsigned big-endian bytes). */
  List<LeaseRecord> leases();

  /**
   * A consistent point-in-time view of everything stored, for writing a snapshot; the caller closes it. Writes go
   * on meanwhile.
   */
  StoreExport openExport();

  /** The attributes members published about themselves through the log, by member id. */
  List<MemberAttributes> memberAttributes();

  /** The membership as of the last applied membership change; null while none was applied. */
  io.vkv.api.internal.ClusterMembers clusterMembers();

  /** The active alarms (etcd's alarm store), as of the last applied entry, sorted by type then member id. */
  List<io.vkv.api.etcdserverpb.AlarmMember> alarms();

  /** etcd's --quota-backend-bytes: the data file size past which requests that grow the store are refused. */
  long quotaBytes();
}
