package io.vkv.store;

import java.util.function.LongPredicate;

/** What changes while one batch is applied, before it commits: the running revisions and the batch's inputs. */
final class BatchState {
  long revision;
  long compacted;
  final boolean overQuota;
  /** Looks in the batch's own write transaction, so a lease granted earlier in the batch counts. */
  final LongPredicate leaseExists;

  BatchState(Meta committed, boolean overQuota, LongPredicate leaseExists) {
    this.revision = committed.revision();
    this.compacted = committed.compacted();
    this.overQuota = overQuota;
    this.leaseExists = leaseExists;
  }
}
