package io.vkv.store;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.LeaseCheckpoint;
import io.vkv.api.etcdserverpb.LeaseCheckpointRequest;
import io.vkv.api.etcdserverpb.LeaseCheckpointResponse;
import io.vkv.api.etcdserverpb.LeaseGrantRequest;
import io.vkv.api.etcdserverpb.LeaseGrantResponse;
import io.vkv.api.etcdserverpb.LeaseRevokeRequest;
import io.vkv.api.etcdserverpb.LeaseRevokeResponse;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import org.lmdbjava.Txn;

/**
 * Lease grant, revoke and checkpoint as applied log entries: deterministic, no clock. The TTL in a grant entry
 * is final (the proposer already raised it to the minimum and chose the id).
 */
final class LeaseOps {
  private LeaseOps() {}

  static LeaseGrantResponse grant(Tables t, Txn<ByteBuffer> txn, LeaseGrantRequest g, long revision) {
    if (g.getID() == 0) throw EtcdError.LEASE_NOT_FOUND.exception(); // never proposed: the endpoint picks an id
    if (LeaseTable.exists(t, txn, g.getID())) throw EtcdError.LEASE_EXIST.exception();
    LeaseTable.put(t, txn, new LeaseRecord(g.getID(), g.getTTL(), 0));
    return LeaseGrantResponse.newBuilder().setHeader(KvOps.header(revision)).setID(g.getID()).setTTL(g.getTTL()).build();
  }

  /** A revoked lease takes its keys with it, all deleted under one revision, as etcd's lessor does. */
  static LeaseRevokeResponse revoke(Tables t, Txn<ByteBuffer> txn, EntryWriter w, LeaseRevokeRequest r) {
    if (!LeaseTable.exists(t, txn, r.getID())) throw EtcdError.LEASE_NOT_FOUND.exception();
    for (KeyValue kv : LeaseTable.keys(t, txn, LiveKeys.WRITER, r.getID())) w.delete(kv);
    LeaseTable.delete(t, txn, r.getID());
    return LeaseRevokeResponse.newBuilder().setHeader(KvOps.header(w.viewRevision())).build();
  }

  /** Records remaining TTLs; leases revoked meanwhile are skipped. */
  static LeaseCheckpointResponse checkpoint(Tables t, Txn<ByteBuffer> txn, LeaseCheckpointRequest c, long revision) {
    for (LeaseCheckpoint cp : c.getCheckpointsList()) {
      LeaseRecord r = LeaseTable.get(t, txn, cp.getID());
      if (r != null) LeaseTable.put(t, txn, new LeaseRecord(r.id(), r.ttl(), cp.getRemainingTTL()));
    }
    return LeaseCheckpointResponse.newBuilder().setHeader(KvOps.header(revision)).build();
  }
}
