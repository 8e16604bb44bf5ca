package io.vkv.store;

import io.vkv.api.etcdserverpb.AlarmMember;
import io.vkv.api.etcdserverpb.AlarmType;
import java.util.List;
import java.util.function.LongPredicate;

/** What changes while one batch is applied, before it commits: the running revisions and the batch's inputs. */
final class BatchState {
  long revision;
  long compacted;
  /** The active alarms as of the entry being applied; replaced by each alarm change. */
  List<AlarmMember> alarms;
  /** Looks in the batch's own write transaction, so a lease granted earlier in the batch counts. */
  final LongPredicate leaseExists;
  /** Users, roles and the auth revision as of the entry being applied; replaced by each auth change. */
  AuthState auth;

  BatchState(Meta committed, AuthState auth, List<AlarmMember> alarms, LongPredicate leaseExists) {
    this.auth = auth;
    this.revision = committed.revision();
    this.compacted = committed.compacted();
    this.alarms = alarms;
    this.leaseExists = leaseExists;
  }

  /** etcd's capped applier: while any NOSPACE alarm is active, requests that grow the store fail. */
  boolean noSpace() {
    return AlarmRecords.active(alarms, AlarmType.NOSPACE);
  }

  /** etcd's corrupt applier: while a CORRUPT alarm is active, every key-space and lease change fails. */
  boolean corrupt() {
    return AlarmRecords.active(alarms, AlarmType.CORRUPT);
  }
}
