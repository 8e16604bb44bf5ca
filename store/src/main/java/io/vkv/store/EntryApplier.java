package io.vkv.store;

import com.google.protobuf.Message;
import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.api.etcdserverpb.CompactionRequest;
import io.vkv.api.etcdserverpb.CompactionResponse;
import io.vkv.api.internal.InternalRequest;
import java.nio.ByteBuffer;
import java.util.List;
import org.lmdbjava.Txn;

/**
 * Applies one log entry inside the batch's write transaction. Requests are validated before they write, so an
 * error result leaves nothing behind; an error discovered after a write surfaces as {@link PartialWriteException}.
 */
final class EntryApplier {
  private final Tables tables;
  private final TxnRunner txns;

  /**
   * What etcd 3.4's corrupt applier refuses; ranges and read-only txns are served (etcd 3.4 serves them after a
   * ReadIndex, not through the applier).
   */
  private static final java.util.Set<InternalRequest.RequestCase> CORRUPT_REFUSED = java.util.EnumSet.of(
      InternalRequest.RequestCase.PUT, InternalRequest.RequestCase.DELETE_RANGE, InternalRequest.RequestCase.TXN,
      InternalRequest.RequestCase.COMPACTION, InternalRequest.RequestCase.LEASE_GRANT,
      InternalRequest.RequestCase.LEASE_REVOKE);

  EntryApplier(Tables tables, RangeReader ranges) {
    this.tables = tables;
    this.txns = new TxnRunner(ranges);
  }

  ApplyResult apply(Txn<ByteBuffer> txn, LogEntry entry, BatchState s, EtcdException forcedError) {
    InternalRequest r = entry.request();
    EntryWriter w = new EntryWriter(tables, txn, s.revision);
    Message response = null;
    EtcdException error = forcedError;
    if (error == null) {
      try {
        AuthChecks.check(tables, txn, r, s.auth);
        response = execute(txn, r, w, s, entry.index());
      } catch (EtcdException e) {
        if (w.wrote()) throw new PartialWriteException(e);
        error = e;
      }
    }
    if (error != null) return new ApplyResult(entry.index(), r.getId(), null, error, s.revision, List.of());
    if (w.wrote()) s.revision = w.mainRevision();
    return new ApplyResult(entry.index(), r.getId(), response, null, s.revision, List.copyOf(w.events()));
  }

  private Message execute(Txn<ByteBuffer> txn, InternalRequest r, EntryWriter w, BatchState s, long index) {
    if (AuthOps.isAuthEntry(r)) return AuthOps.apply(tables, txn, r, s);
    if (s.corrupt() && CORRUPT_REFUSED.contains(r.getRequestCase())
        && !(r.hasTxn() && TxnRunner.isReadOnly(r.getTxn()))) {
      throw EtcdError.CORRUPT.exception();
    }
    switch (r.getRequestCase()) {
      case PUT -> {
        if (s.noSpace()) throw EtcdError.NO_SPACE.exception();
        TxnRunner.checkPut(w, r.getPut(), s.leaseExists);
        return KvOps.put(w, r.getPut());
      }
      case DELETE_RANGE -> {
        return KvOps.delete(w, r.getDeleteRange());
      }
      case TXN -> {
        if (s.noSpace() && TxnRunner.hasPut(r.getTxn())) throw EtcdError.NO_SPACE.exception();
        return txns.run(txn, w, r.getTxn(), s.compacted, s.leaseExists);
      }
      case COMPACTION -> {
        return compact(txn, r.getCompaction(), s);
      }
      case LEASE_GRANT -> {
        if (s.noSpace()) throw EtcdError.NO_SPACE.exception();
        return LeaseOps.grant(tables, txn, r.getLeaseGrant(), s.revision);
      }
      case LEASE_REVOKE -> {
        return LeaseOps.revoke(tables, txn, w, r.getLeaseRevoke());
      }
      case ALARM -> {
        return AlarmRecords.apply(tables, txn, r.getAlarm(), s);
      }
      case LEASE_CHECKPOINT -> {
        return LeaseOps.checkpoint(tables, txn, r.getLeaseCheckpoint(), s.revision);
      }
      case AUTHENTICATE -> {
        return AuthOps.authenticate(s.auth, r.getAuthenticate(), index);
      }
      case MEMBER_ATTR_SET -> {
        MemberRecords.put(tables, txn, r.getMemberAttrSet());
        return null;
      }
      case CLUSTER_MEMBERS -> {
        MemberRecords.putMembers(tables, txn, r.getClusterMembers());
        return null;
      }
      default -> {
        return null; // an empty entry (leader no-op, membership change): only moves the consistent index
      }
    }
  }

  private Message compact(Txn<ByteBuffer> txn, CompactionRequest c, BatchState s) {
    if (c.getRevision() <= s.compacted) throw EtcdError.COMPACTED.exception();
    if (c.getRevision() > s.revision) throw EtcdError.FUTURE_REV.exception();
    Compactor.compact(tables, txn, c.getRevision());
    s.compacted = c.getRevision();
    return CompactionResponse.newBuilder().setHeader(KvOps.header(s.revision)).build();
  }

  static boolean isWrite(InternalRequest r) {
    return switch (r.getRequestCase()) {
      case PUT, DELETE_RANGE, TXN, COMPACTION, LEASE_GRANT, LEASE_REVOKE -> true;
      default -> AuthOps.isAuthEntry(r);
    };
  }
}
