package io.vkv.store;

import java.util.function.LongPredicate;

/** What changes while one batch is applied, before it commits: the running revisions and the batch's inputs. */
final class BatchState {
  long revision;
  long compacted;
  final boolean overQuota;
  /** Looks in the batch's own write transaction, so a lease granted earlier in the batch counts. */
  final LongPredicate leaseExists;
  /** Users, roles and the auth revision as of the entry being applied; replaced by each auth change. */
  AuthState auth;

  BatchState(Meta committed, AuthState auth, boolean overQuota, LongPredicate leaseExists) {
    this.auth = auth;
    this.revision = committed.revision();
    this.compacted = committed.compacted();
    this.overQuota = overQuota;
    this.leaseExists = leaseExists;
  }
}
