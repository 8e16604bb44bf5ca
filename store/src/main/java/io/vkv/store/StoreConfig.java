package io.vkv.store;

import java.nio.file.Path;

/**
 * Where the store lives and how large it may grow.
 *
 * @param dir the LMDB environment directory (created if missing)
 * @param quotaBytes etcd's --quota-backend-bytes (<= 0: 2 GiB): the serving member refuses growing requests and raises
 *     the NOSPACE alarm past it; the store refuses them while that alarm is active
 */
public record StoreConfig(Path dir, long quotaBytes) {
  static final long DEFAULT_QUOTA = 2L << 30;

  long effectiveQuota() {
    return quotaBytes > 0 ? quotaBytes : DEFAULT_QUOTA;
  }
}
